namespace Blog.MailingList;

public sealed record SubscriberCounts(int Pending, int Active, int Unsubscribed, int Bounced)
{
    public int Total => Pending + Active + Unsubscribed + Bounced;
}
