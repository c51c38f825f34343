namespace Blog.MailingList;

public sealed record SubscriberCounts(int Pending, int Active, int Unsubscribed, int Bounced, int Complained = 0)
{
    public int Total => Pending + Active + Unsubscribed + Bounced + Complained;
}
