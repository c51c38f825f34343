using System.Diagnostics.Metrics;

namespace Blog.Subscriptions;

/// <summary>The subscription pages' instruments (meter <c>Blog.Subscriptions</c>): sign-ups stored and subscriptions confirmed on this node.</summary>
public sealed class SubscriptionMetrics
{
    public const string MeterName = "Blog.Subscriptions";

    private readonly Counter<long> signUps;
    private readonly Counter<long> confirmations;

    public SubscriptionMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        signUps = meter.CreateCounter<long>("blog.subscriptions.signups", "{signup}", "Sign-up forms stored (a new subscriber, or a confirmation asked again).");
        confirmations = meter.CreateCounter<long>("blog.subscriptions.confirmations", "{subscriber}", "Subscriptions confirmed through the link in the confirmation mail.");
    }

    public void SignedUp() => signUps.Add(1);

    public void Confirmed() => confirmations.Add(1);
}
