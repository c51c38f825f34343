namespace Blog.Feeds;

internal sealed class FeedsOptionsValidator : IValidateOptions<FeedsOptions>
{
    public ValidateOptionsResult Validate(string? name, FeedsOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.OutputPath))
            failures.Add("Feeds:OutputPath must name the output folder (or pass --out DIR).");
        else if (File.Exists(options.OutputPath))
            failures.Add($"Feeds:OutputPath \"{options.OutputPath}\" is a file, not a folder.");
        if (options.ItemsPerFeed is < 1 or > 10_000)
            failures.Add($"Feeds:ItemsPerFeed must be between 1 and 10000, but is {options.ItemsPerFeed}.");
        if (options.ArchivePageSize is < 0 or > 10_000)
            failures.Add($"Feeds:ArchivePageSize must be between 0 (no archive) and 10000, but is {options.ArchivePageSize}.");
        for (var i = 0; i < options.Hubs.Count; i++)
        {
            if (!Uri.TryCreate(options.Hubs[i], UriKind.Absolute, out var hub) || (hub.Scheme != Uri.UriSchemeHttp && hub.Scheme != Uri.UriSchemeHttps))
                failures.Add($"Feeds:Hubs:{i} must be an absolute http or https URL, but is \"{options.Hubs[i]}\".");
        }
        if (options.HubAttempts is < 1 or > 100)
            failures.Add($"Feeds:HubAttempts must be between 1 and 100, but is {options.HubAttempts}.");
        if (options.HubRetryDelay < TimeSpan.Zero || options.HubRetryDelay > TimeSpan.FromHours(1))
            failures.Add($"Feeds:HubRetryDelay must be between 00:00:00 and 01:00:00, but is \"{options.HubRetryDelay}\".");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
