namespace Blog.Mail;

/// <summary>When a sender may still begin what it claimed under a lease.</summary>
public static class Claims
{
    /// <summary>
    /// A claim that has spent half its lease waiting (a slow server, a low rate limit) is not begun: once the lease
    /// ends another sender may take the item over, and both would send it. It is claimed afresh instead.
    /// </summary>
    public static bool TooLateToBegin(DateTimeOffset leaseUntil, TimeSpan lease, DateTimeOffset now) => now > leaseUntil - lease / 2;
}
