namespace Blog.Operations;

internal sealed class OperationsOptionsValidator : IValidateOptions<OperationsOptions>
{
    /// <summary>A guessable token would open the metrics to anyone who can reach the public listener.</summary>
    internal const int MinTokenLength = 32;

    public ValidateOptionsResult Validate(string? name, OperationsOptions options)
    {
        var failures = new List<string>();
        if (options.MetricsToken.Length > 0 && options.MetricsToken.Length < MinTokenLength)
            failures.Add($"Operations:MetricsToken must be empty or at least {MinTokenLength} characters (such as the output of `openssl rand -hex 32`), but is {options.MetricsToken.Length} characters long.");
        if (options.OutboxDepthCacheTime < TimeSpan.Zero || options.OutboxDepthCacheTime > TimeSpan.FromHours(1))
            failures.Add($"Operations:OutboxDepthCacheTime must be between 00:00:00 and 01:00:00, but is \"{options.OutboxDepthCacheTime}\".");
        if (options.CheckTimeout < TimeSpan.FromMilliseconds(100) || options.CheckTimeout > TimeSpan.FromMinutes(1))
            failures.Add($"Operations:CheckTimeout must be between 00:00:00.1 and 00:01:00, but is \"{options.CheckTimeout}\".");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
