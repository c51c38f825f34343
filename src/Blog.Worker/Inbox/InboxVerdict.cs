namespace Blog.Inbox;

/// <summary>What a message in the return mailbox is, and for <see cref="InboxVerdictKind.Feedback"/> what it reports.</summary>
/// <param name="Reason">Why it was judged so, for the log and the summary (for example "RFC 3464 report, 5.1.1").</param>
public sealed record InboxVerdict(InboxVerdictKind Kind, ImmutableArray<InboxFinding> Findings, string Reason)
{
    public static InboxVerdict Unhandled(string reason) => new(InboxVerdictKind.Unhandled, [], reason);

    public static InboxVerdict Ignored(string reason) => new(InboxVerdictKind.Ignored, [], reason);
}
