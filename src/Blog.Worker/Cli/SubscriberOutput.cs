using System.Globalization;
using Blog.Feedback;
using Blog.MailingList;

namespace Blog.Cli;

/// <summary>How subscribers read on a terminal.</summary>
internal static class SubscriberOutput
{
    public static string Describe(Subscriber s) =>
        $"{s.Address} ({s.Status.ToText()}, {s.Cadence}, {(s.Tags.IsEmpty ? "every post" : "tags: " + string.Join(", ", s.Tags))})";

    public static string Line(Subscriber s, SubscriberEvent? last = null) => string.Create(CultureInfo.InvariantCulture,
        $"{s.Address,-40} {s.Status.ToText(),-12} {s.Cadence,-8} {s.CreatedAt.UtcDateTime:yyyy-MM-dd}  {(s.Tags.IsEmpty ? "(all)" : string.Join(' ', s.Tags))}{History(s, last)}");

    /// <summary>Why a subscriber may be about to leave (or left): their bounces and newest event, when they have any.</summary>
    private static string History(Subscriber s, SubscriberEvent? last)
    {
        var parts = new List<string>(2);
        if (s.Bounces > 0) parts.Add(QueuedMailDelivery.Count(s.Bounces, "bounce"));
        if (last is not null) parts.Add(string.Create(CultureInfo.InvariantCulture, $"last {last.Kind.ToText()} {last.At.UtcDateTime:yyyy-MM-dd}"));
        return parts.Count == 0 ? "" : "  " + string.Join(", ", parts);
    }

    public static string Header => $"{"EMAIL",-40} {"STATUS",-12} {"CADENCE",-8} {"CREATED",-10}  TAGS";

    public static string Counts(SubscriberCounts c) => string.Create(CultureInfo.InvariantCulture,
        $"{QueuedMailDelivery.Count(c.Total, "subscriber")}: {c.Active} active, {c.Pending} pending, {c.Unsubscribed} unsubscribed, {c.Bounced} bounced, {c.Complained} complained");

    /// <summary>Why adding a known address changed nothing, in the words of its status.</summary>
    public static string AlreadyListed(Subscriber s) => Describe(s) + s.Status switch
    {
        SubscriberStatus.Pending => " is already on the list, waiting for their confirmation; nothing changed",
        SubscriberStatus.Unsubscribed => " left the list; nothing changed. Only their own sign-up can bring them back",
        SubscriberStatus.Bounced => " is suspended after bounces; nothing changed",
        SubscriberStatus.Complained => " marked our mail as spam; nothing changed. Only their own sign-up, confirmed by them, can bring them back",
        _ => " is already on the list; nothing changed",
    };
}
