namespace Blog.Operations;

/// <summary>Health and metrics. Bound from the <c>Operations</c> section.</summary>
public sealed class OperationsOptions
{
    public const string Section = "Operations";

    /// <summary>
    /// A secret a scraper sends as <c>Authorization: Bearer …</c> to read <c>/metrics</c> when the console is on the
    /// public listener (<c>Admin:PublicPath</c>). Empty: there, only a signed-in owner may read it. On the console's own
    /// loopback listener <c>/metrics</c> is open, as the rest of that listener is to whoever can reach it.
    /// </summary>
    public string MetricsToken { get; set; } = "";

    /// <summary>How long a counted outbox depth is reused, so frequent scrapes do not each query the database.</summary>
    public TimeSpan OutboxDepthCacheTime { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long a readiness check may take before it counts as failed (a database that hangs is not ready).</summary>
    public TimeSpan CheckTimeout { get; set; } = TimeSpan.FromSeconds(5);
}
