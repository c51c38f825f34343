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

    [Theory]
    [InlineData(0)]
    [InlineData(101)]
    public void Soft_bounces_to_suspend_must_fit_in_the_history_kept(int max)
    {
        // Each subscriber keeps the newest 100 events of a kind: a limit above that could never be reached.
        var result = new MailOptionsValidator().Validate(null, new MailOptions { MaxSoftBounces = max });
        Assert.Contains($"Mail:MaxSoftBounces must be between 1 and 100, but is {max}.", result.FailureMessage, StringComparison.Ordinal);
    }
}
