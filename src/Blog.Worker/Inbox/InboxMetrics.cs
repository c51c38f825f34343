using System.Diagnostics.Metrics;

namespace Blog.Inbox;

/// <summary>The return mailbox's instruments (meter <c>Blog.Inbox</c>): messages read, by what they turned out to be.</summary>
public sealed class InboxMetrics
{
    public const string MeterName = "Blog.Inbox";

    private readonly Counter<long> messages;

    public InboxMetrics(IMeterFactory meters) =>
        messages = meters.Create(MeterName).CreateCounter<long>("blog.inbox.messages", "{message}",
            "Messages taken from the return mailbox, by verdict: feedback (bounce, complaint, unsubscribe), ignored (auto-reply) or unhandled (left for the owner).");

    public void Read(InboxVerdictKind verdict) => messages.Add(1, new KeyValuePair<string, object?>("blog.inbox.verdict", verdict switch
    {
        InboxVerdictKind.Feedback => "feedback",
        InboxVerdictKind.Ignored => "ignored",
        _ => "unhandled",
    }));
}
