using System.Globalization;
using Blog.MailingList;

namespace Blog.Cli;

/// <summary>How subscribers read on a terminal.</summary>
internal static class SubscriberOutput
{
    public static string Describe(Subscriber s) =>
        $"{s.Address} ({s.Status.ToText()}, {s.Cadence}, {(s.Tags.IsEmpty ? "every post" : "tags: " + string.Join(", ", s.Tags))})";

    public static string Line(Subscriber s) => string.Create(CultureInfo.InvariantCulture,
        $"{s.Address,-40} {s.Status.ToText(),-12} {s.Cadence,-8} {s.CreatedAt.UtcDateTime:yyyy-MM-dd}  {(s.Tags.IsEmpty ? "(all)" : string.Join(' ', s.Tags))}");

    public static string Header => $"{"EMAIL",-40} {"STATUS",-12} {"CADENCE",-8} {"CREATED",-10}  TAGS";

    public static string Counts(SubscriberCounts c) => string.Create(CultureInfo.InvariantCulture,
        $"{QueuedMailDelivery.Count(c.Total, "subscriber")}: {c.Active} active, {c.Pending} pending, {c.Unsubscribed} unsubscribed, {c.Bounced} bounced");
}
