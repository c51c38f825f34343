using System.Text.RegularExpressions;

namespace Blog.Webhooks;

/// <summary>Checks the <c>Webhooks</c> section at start. A secret is never repeated in a message, only what is wrong with it.</summary>
internal sealed partial class WebhooksOptionsValidator : IValidateOptions<WebhooksOptions>
{
    public const int MinSecretLength = 32;

    public ValidateOptionsResult Validate(string? name, WebhooksOptions options)
    {
        var failures = new List<string>();
        if (options.MaxBodyBytes is < 1024 or > 16 * 1024 * 1024)
            failures.Add($"Webhooks:MaxBodyBytes must be between 1024 and 16777216, but is {options.MaxBodyBytes}.");
        if (options.BodyTimeout <= TimeSpan.Zero || options.BodyTimeout > TimeSpan.FromMinutes(5))
            failures.Add($"Webhooks:BodyTimeout must be more than 00:00:00 and at most 00:05:00, but is \"{options.BodyTimeout}\".");
        if (options.MaxAge < TimeSpan.FromMinutes(1) || options.MaxAge > TimeSpan.FromDays(7))
            failures.Add($"Webhooks:MaxAge must be between 00:01:00 and 7.00:00:00, but is \"{options.MaxAge}\".");
        if (options.RequestsPerMinute < 1) failures.Add($"Webhooks:RequestsPerMinute must be at least 1, but is {options.RequestsPerMinute}.");
        for (var i = 0; i < options.Ses.TopicArns.Count; i++)
        {
            if (!TopicArn().IsMatch(options.Ses.TopicArns[i]) || SnsSignature.Host(options.Ses.TopicArns[i]) is null)
                failures.Add($"Webhooks:Ses:TopicArns:{i} \"{options.Ses.TopicArns[i]}\" is not an SNS topic ARN such as arn:aws:sns:us-east-1:123456789012:ses-events.");
        }
        var postmark = options.Postmark;
        if ((postmark.User.Length > 0) != (postmark.Password.Length > 0))
            failures.Add("Webhooks:Postmark:User and Webhooks:Postmark:Password must be set together (or both left empty to turn the endpoint off).");
        if (postmark.Password.Length is > 0 and < 16)
            failures.Add($"Webhooks:Postmark:Password must be at least 16 characters, but has {postmark.Password.Length}.");
        if (postmark.User.Contains(':', StringComparison.Ordinal)) failures.Add("Webhooks:Postmark:User must not contain ':', which basic auth cannot carry.");
        if (options.Mailgun.SigningKey.Length is > 0 and < 16)
            failures.Add($"Webhooks:Mailgun:SigningKey is {options.Mailgun.SigningKey.Length} characters; Mailgun's HTTP webhook signing keys are longer. Copy it from Mailgun's control panel.");
        if (options.SendGrid.PublicKey.Length > 0 && SendGridWebhook.PublicKey(options.SendGrid.PublicKey) is null)
            failures.Add($"Webhooks:SendGrid:PublicKey \"{Shorten(options.SendGrid.PublicKey)}\" is not an ECDSA P-256 public key in base64 DER (as SendGrid shows it) or PEM.");
        if (options.Events.Secret.Length is > 0 and < MinSecretLength)
            failures.Add($"Webhooks:Events:Secret must be at least {MinSecretLength} characters, but has {options.Events.Secret.Length} (make one with: openssl rand -base64 32).");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static string Shorten(string value) => value.Length > 40 ? value[..40] + "…" : value;

    [GeneratedRegex(@"^arn:aws(-cn|-us-gov)?:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_.-]{1,256}$", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex TopicArn();
}
