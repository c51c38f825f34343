using Blog.Digests;

namespace Blog.Subscriptions;

internal sealed class SubscriptionOptionsValidator(IOptions<DigestsOptions> digests) : IValidateOptions<SubscriptionOptions>
{
    public ValidateOptionsResult Validate(string? name, SubscriptionOptions options)
    {
        var failures = new List<string>();
        if (options.SigningKey.Length > 0 && !SigningKey.TryDecode(options.SigningKey, out _))
            failures.Add($"Subscriptions:SigningKey must be base64 of at least {SigningKey.MinBytes} bytes (make one with: openssl rand -base64 32).");
        if (options.ConfirmationLifetime <= TimeSpan.Zero)
            failures.Add($"Subscriptions:ConfirmationLifetime must be positive, but is {options.ConfirmationLifetime}.");
        if (options.ResendInterval < TimeSpan.Zero)
            failures.Add($"Subscriptions:ResendInterval must not be negative, but is {options.ResendInterval}.");
        var cadences = digests.Value.CadenceNames;
        if (!cadences.Contains(options.DefaultCadence))
            failures.Add($"Subscriptions:DefaultCadence \"{options.DefaultCadence}\" is not one of the cadences: {string.Join(", ", cadences)}.");
        if (options.SignUpLimit < 1) failures.Add($"Subscriptions:SignUpLimit must be at least 1, but is {options.SignUpLimit}.");
        if (options.SignUpsPerMinute < 1) failures.Add($"Subscriptions:SignUpsPerMinute must be at least 1, but is {options.SignUpsPerMinute}.");
        if (options.SignUpWindow <= TimeSpan.Zero) failures.Add($"Subscriptions:SignUpWindow must be positive, but is {options.SignUpWindow}.");
        if (options.SignUpBacklog is < 1 or > 1_000_000)
            failures.Add($"Subscriptions:SignUpBacklog must be between 1 and 1000000, but is {options.SignUpBacklog}.");
        if (options.WelcomePosts is < 0 or > 20)
            failures.Add($"Subscriptions:WelcomePosts must be between 0 and 20, but is {options.WelcomePosts}.");
        if (options.MaxFormBytes < 1024) failures.Add($"Subscriptions:MaxFormBytes must be at least 1024, but is {options.MaxFormBytes}.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
