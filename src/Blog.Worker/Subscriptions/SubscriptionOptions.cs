namespace Blog.Subscriptions;

/// <summary>The <c>Subscriptions</c> section: sign-up, confirmation and the links in every mail.</summary>
public sealed class SubscriptionOptions
{
    public const string Section = "Subscriptions";

    /// <summary>
    /// The key the links' tokens are signed with, base64, at least 32 bytes. Empty: a key is generated into
    /// <c>signing.key</c> in the data folder on first use. Changing it breaks every link already mailed.
    /// </summary>
    public string SigningKey { get; set; } = "";

    /// <summary>How long a confirmation link works.</summary>
    public TimeSpan ConfirmationLifetime { get; set; } = TimeSpan.FromHours(48);

    /// <summary>A second sign-up for a pending address re-sends the confirmation at most this often.</summary>
    public TimeSpan ResendInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The cadence of a sign-up that names none.</summary>
    public string DefaultCadence { get; set; } = "weekly";

    /// <summary>
    /// Sign-ups allowed per client in each <see cref="SignUpWindow"/>. A client is its IPv4 address, or its IPv6
    /// address's /64; behind a proxy, the address the trusted proxies name (<c>Http:KnownProxies</c>, <c>Http:KnownNetworks</c>).
    /// </summary>
    public int SignUpLimit { get; set; } = 5;

    public TimeSpan SignUpWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Sign-ups allowed per minute from all clients together; past it every sign-up gets 429 until the minute is over.</summary>
    public int SignUpsPerMinute { get; set; } = 60;

    /// <summary>
    /// Sign-ups answered and waiting to be stored, at most. The form answers before storing, so that how long it takes
    /// does not tell who is subscribed; past this many waiting it answers 503.
    /// </summary>
    public int SignUpBacklog { get; set; } = 1000;

    /// <summary>The largest form body accepted; a larger one gets 413.</summary>
    public int MaxFormBytes { get; set; } = 8192;

    /// <summary>Whether confirming sends a welcome mail (<c>templates/welcome.*.sbn</c>): the newest posts in their topics and how to change them.</summary>
    public bool Welcome { get; set; } = true;

    /// <summary>How many of the newest posts in the subscriber's topics the welcome mail shows, 0 to 20.</summary>
    public int WelcomePosts { get; set; } = 3;
}
