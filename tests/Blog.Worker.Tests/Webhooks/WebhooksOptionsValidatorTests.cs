using System.Security.Cryptography;
using Blog.Webhooks;

namespace Blog.Tests.Webhooks;

public sealed class WebhooksOptionsValidatorTests
{
    private static IEnumerable<string> Failures(Action<WebhooksOptions> change)
    {
        var options = new WebhooksOptions();
        change(options);
        return new WebhooksOptionsValidator().Validate(null, options).Failures ?? [];
    }

    [Fact]
    public void The_defaults_are_valid_and_turn_every_endpoint_off() => Assert.Empty(Failures(_ => { }));

    [Theory]
    [InlineData("Ses:TopicArns", "Webhooks:Ses:TopicArns:0 \"ses-events\" is not an SNS topic ARN")]
    [InlineData("Postmark:User", "Webhooks:Postmark:User and Webhooks:Postmark:Password must be set together")]
    [InlineData("Postmark:Password", "Webhooks:Postmark:Password must be at least 16 characters, but has 5")]
    [InlineData("SendGrid:PublicKey", "Webhooks:SendGrid:PublicKey \"bm90IGEga2V5\" is not an ECDSA P-256 public key")]
    [InlineData("Events:Secret", "Webhooks:Events:Secret must be at least 32 characters, but has 6")]
    [InlineData("MaxBodyBytes", "Webhooks:MaxBodyBytes must be between 1024 and 16777216, but is 10.")]
    public void A_bad_setting_is_named_with_what_is_wrong(string key, string expected)
    {
        var failures = Failures(o =>
        {
            switch (key)
            {
                case "Ses:TopicArns": o.Ses.TopicArns.Add("ses-events"); break;
                case "Postmark:User": o.Postmark.User = "postmark"; break;
                case "Postmark:Password": (o.Postmark.User, o.Postmark.Password) = ("postmark", "short"); break;
                case "SendGrid:PublicKey": o.SendGrid.PublicKey = "bm90IGEga2V5"; break;
                case "Events:Secret": o.Events.Secret = "secret"; break;
                case "MaxBodyBytes": o.MaxBodyBytes = 10; break;
            }
        });
        Assert.Contains(failures, f => f.StartsWith(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void A_secret_is_never_repeated_in_a_message()
    {
        var failures = Failures(o => o.Events.Secret = "hunter2");
        Assert.DoesNotContain(failures, f => f.Contains("hunter2", StringComparison.Ordinal));
    }

    [Fact]
    public void A_key_on_another_curve_is_refused()
    {
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        Assert.NotEmpty(Failures(o => o.SendGrid.PublicKey = Convert.ToBase64String(p384.ExportSubjectPublicKeyInfo())));
    }
}
