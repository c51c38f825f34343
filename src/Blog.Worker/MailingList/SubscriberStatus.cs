namespace Blog.MailingList;

public enum SubscriberStatus
{
    /// <summary>Signed up, not yet confirmed: gets nothing but the confirmation mail.</summary>
    Pending,

    /// <summary>Confirmed: gets digests.</summary>
    Active,

    /// <summary>Left the list; the record stays so an old import cannot add them back unasked.</summary>
    Unsubscribed,

    /// <summary>Suspended after hard bounces.</summary>
    Bounced,

    /// <summary>Marked our mail as spam: unsubscribed, and no import or command can add them back; only their own double opt-in can.</summary>
    Complained,
}
