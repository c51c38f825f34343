using Blog.Mail;

namespace Blog.Tests.Feedback;

/// <summary>The bounce rules' settings are checked at start, with the key and value named.</summary>
public sealed class FeedbackRulesTests
{
    [Theory]
    [InlineData("00:00:00")]
    [InlineData("365.00:00:01")]
    [InlineData("10000.00:00:00")]
    public void A_soft_bounce_window_out_of_range_is_refused_with_its_key_and_value(string window)
    {
        var result = new MailOptionsValidator().Validate(null, new MailOptions { SoftBounceWindow = TimeSpan.Parse(window, System.Globalization.CultureInfo.InvariantCulture) });
        Assert.Contains($"Mail:SoftBounceWindow must be positive and at most 365 days, but is {window}.", result.FailureMessage, StringComparison.Ordinal);
    }
}
