namespace Blog.Digests;

/// <summary>One named schedule, <c>Digests:Cadences:{name}</c>.</summary>
public sealed class CadenceOptions
{
    /// <summary>A Quartz cron expression, read in <see cref="DigestsOptions.TimeZone"/>.</summary>
    public string Cron { get; set; } = "";
}
