namespace Blog.Readership;

internal sealed class ReadershipOptionsValidator : IValidateOptions<ReadershipOptions>
{
    public ValidateOptionsResult Validate(string? name, ReadershipOptions options)
    {
        var failures = new List<string>();
        if (options.FlushInterval < TimeSpan.FromMilliseconds(100) || options.FlushInterval > TimeSpan.FromMinutes(5))
            failures.Add($"Readership:FlushInterval must be between 00:00:00.1 and 00:05:00, but is \"{options.FlushInterval}\".");
        if (options.BufferSize is < 1 or > 1_000_000)
            failures.Add($"Readership:BufferSize must be between 1 and 1000000, but is {options.BufferSize}.");
        if (options.MaxAggregatorsPerFeedDay is < 1 or > 1_000)
            failures.Add($"Readership:MaxAggregatorsPerFeedDay must be between 1 and 1000, but is {options.MaxAggregatorsPerFeedDay}.");
        if (options.MaxReadersPerFeedDay is < 1 or > 10_000_000)
            failures.Add($"Readership:MaxReadersPerFeedDay must be between 1 and 10000000, but is {options.MaxReadersPerFeedDay}.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
