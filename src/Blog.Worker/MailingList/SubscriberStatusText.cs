namespace Blog.MailingList;

/// <summary>
/// A status as text, the one spelling everywhere: the database column, CSV, the terminal and the pages all say
/// <c>pending</c>, <c>active</c>, <c>unsubscribed</c>, <c>bounced</c>, <c>complained</c>.
/// </summary>
public static class SubscriberStatusText
{
    /// <summary>Every status as text, in the order people are told them.</summary>
    public static readonly ImmutableArray<string> All = [.. Enum.GetValues<SubscriberStatus>().Select(ToText)];

    public static string ToText(this SubscriberStatus status) => status switch
    {
        SubscriberStatus.Pending => "pending",
        SubscriberStatus.Active => "active",
        SubscriberStatus.Unsubscribed => "unsubscribed",
        SubscriberStatus.Bounced => "bounced",
        SubscriberStatus.Complained => "complained",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    /// <summary>Exactly as <see cref="ToText"/> writes it (callers fold case where people type it).</summary>
    public static bool TryParse(string text, out SubscriberStatus status)
    {
        foreach (var candidate in Enum.GetValues<SubscriberStatus>())
        {
            if (string.Equals(candidate.ToText(), text, StringComparison.Ordinal))
            {
                status = candidate;
                return true;
            }
        }
        status = default;
        return false;
    }
}
