namespace Blog.Feedback;

/// <summary>
/// A kind of report as text, the one spelling everywhere: the database column, the CLI and the export all say
/// <c>hard-bounce</c>, <c>soft-bounce</c>, <c>complaint</c>, <c>unsubscribe</c>.
/// </summary>
public static class FeedbackKindText
{
    public static string ToText(this FeedbackKind kind) => kind switch
    {
        FeedbackKind.HardBounce => "hard-bounce",
        FeedbackKind.SoftBounce => "soft-bounce",
        FeedbackKind.Complaint => "complaint",
        FeedbackKind.Unsubscribe => "unsubscribe",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    public static bool TryParse(string text, out FeedbackKind kind)
    {
        foreach (var candidate in Enum.GetValues<FeedbackKind>())
        {
            if (string.Equals(candidate.ToText(), text, StringComparison.Ordinal))
            {
                kind = candidate;
                return true;
            }
        }
        kind = default;
        return false;
    }
}
