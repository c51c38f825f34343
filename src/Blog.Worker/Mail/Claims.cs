namespace Blog.Mail;

/// <summary>When a sender may still begin what it claimed under a lease.</summary>
public static class Claims
{
    /// <summary>
    /// A claim that has spent half its lease waiting (a slow server, a low rate limit) is not begun: once the lease
    /// ends another sender may take the item over, and both would send it. It is claimed afresh instead.
    /// </summary>
    public static bool TooLateToBegin(DateTimeOffset leaseUntil, TimeSpan lease, DateTimeOffset now) => now > leaseUntil - lease / 2;

    /// <summary>One range for every lease setting: long enough to send a batch, short enough that a dead sender's claims come back the same day.</summary>
    public static void CheckLease(List<string> failures, string key, TimeSpan lease)
    {
        if (lease < TimeSpan.FromSeconds(1) || lease > TimeSpan.FromDays(1))
            failures.Add($"{key} must be between 00:00:01 and 1.00:00:00, but is {lease}.");
    }
}
