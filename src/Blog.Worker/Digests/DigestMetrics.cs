using System.Diagnostics.Metrics;
using Blog.Feedback;

namespace Blog.Digests;

/// <summary>
/// The digests' instruments (meter <c>Blog.Digests</c>): deliveries sent and failed as this node sends them, and the
/// bounces and complaints as this node records them. Counted per process: in a cluster, sum over the nodes.
/// </summary>
public sealed class DigestMetrics
{
    public const string MeterName = "Blog.Digests";

    private readonly Counter<long> sent;
    private readonly Counter<long> failed;
    private readonly Counter<long> bounced;
    private readonly Counter<long> complained;

    public DigestMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        sent = meter.CreateCounter<long>("blog.digests.sent", "{message}", "Digest mails the mail server accepted.");
        failed = meter.CreateCounter<long>("blog.digests.failed", "{message}", "Digest deliveries given up on (refused for good, or out of retries).");
        bounced = meter.CreateCounter<long>("blog.digests.bounced", "{report}", "Bounce reports recorded against a subscriber, by bounce type (hard, soft).");
        complained = meter.CreateCounter<long>("blog.digests.complained", "{report}", "Complaint (spam) reports recorded against a subscriber.");
    }

    public void Sent(DigestRound round)
    {
        if (round.Sent > 0) sent.Add(round.Sent);
        if (round.Failed > 0) failed.Add(round.Failed);
    }

    /// <summary>A report acted on (not a duplicate, nor about nobody).</summary>
    public void Recorded(FeedbackKind kind)
    {
        switch (kind)
        {
            case FeedbackKind.HardBounce: bounced.Add(1, new KeyValuePair<string, object?>("blog.bounce.type", "hard")); break;
            case FeedbackKind.SoftBounce: bounced.Add(1, new KeyValuePair<string, object?>("blog.bounce.type", "soft")); break;
            case FeedbackKind.Complaint: complained.Add(1); break;
        }
    }
}
