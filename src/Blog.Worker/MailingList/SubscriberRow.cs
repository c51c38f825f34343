namespace Blog.MailingList;

/// <summary>A subscriber as the search lists them, with their newest bounce, complaint or unsubscribe report, if any.</summary>
public sealed record SubscriberRow(Subscriber Subscriber, string? LastEventKind, DateTimeOffset? LastEventAt);
