namespace Blog.Storage;

internal sealed class StorageOptionsValidator : IValidateOptions<StorageOptions>
{
    public ValidateOptionsResult Validate(string? name, StorageOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.DataPath))
            failures.Add("Storage:DataPath must name a folder.");
        else if (File.Exists(options.DataPath))
            failures.Add($"Storage:DataPath \"{options.DataPath}\" is a file; it must be a folder.");
        if (!string.Equals(options.Provider, "Sqlite", StringComparison.OrdinalIgnoreCase))
            failures.Add($"Storage:Provider \"{options.Provider}\" is not known; the provider is Sqlite.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
