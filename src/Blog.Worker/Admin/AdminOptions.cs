namespace Blog.Admin;

/// <summary>The owner's console. Bound from the <c>Admin</c> section.</summary>
public sealed class AdminOptions
{
    public const string Section = "Admin";

    /// <summary>
    /// Where the console listens, on a listener of its own (several URLs separated by ';'). Loopback by default: reach it
    /// through an SSH tunnel or a proxy that adds its own access control. Empty turns the console off.
    /// </summary>
    public string Urls { get; set; } = "http://127.0.0.1:5081";

    /// <summary>
    /// A path such as <c>/admin</c> puts the console on the public listener under that path instead of on its own
    /// listener (then <see cref="Urls"/> is not bound). Empty by default: exposing the console is a choice.
    /// </summary>
    public string PublicPath { get; set; } = "";

    /// <summary>How long the one-time setup link printed at first start stays valid.</summary>
    public TimeSpan SetupLinkLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>A signed-in session ends after this long without a request (sliding).</summary>
    public TimeSpan SessionIdleTimeout { get; set; } = TimeSpan.FromHours(8);

    /// <summary>Failed sign-ins in a row that lock an account, and, separately, a client, for <see cref="LockoutTime"/>.</summary>
    public int MaxFailedSignIns { get; set; } = 5;

    public TimeSpan LockoutTime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>The console's listening mode: on its own listener, under a public path, or off.</summary>
    internal bool OwnListener => PublicPath.Length == 0 && Urls.Trim().Length > 0;

    internal bool Enabled => PublicPath.Length > 0 || Urls.Trim().Length > 0;

    /// <summary>What console links start with: the public path, or nothing on its own listener.</summary>
    internal string Prefix => PublicPath.TrimEnd('/');

    /// <summary>
    /// <see cref="Prefix"/> read from the raw settings, for routes and cookies set up while the app is built, before the
    /// settings are validated.
    /// </summary>
    internal static string PrefixIn(IConfiguration configuration) =>
        (configuration[$"{Section}:{nameof(PublicPath)}"] ?? "").TrimEnd('/');
}
