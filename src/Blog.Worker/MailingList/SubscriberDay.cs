namespace Blog.MailingList;

/// <summary>
/// The list as it stood at the end of one day (UTC), or as of its last snapshot for today: subscribers by status, and
/// the sign-ups and unsubscribes of that day.
/// </summary>
public sealed record SubscriberDay(DateOnly Day, long Pending, long Active, long Unsubscribed, long Bounced, long Complained, long SignUps, long Unsubscribes);
