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
        if (!string.Equals(options.Provider, StorageOptions.Sqlite, StringComparison.OrdinalIgnoreCase) && !options.IsPostgres)
            failures.Add($"Storage:Provider \"{options.Provider}\" is not known; it is Sqlite (the default) or Postgres.");
        if (options.IsPostgres)
        {
            if (options.ConnectionString.Length == 0)
                failures.Add("Storage:ConnectionString is needed with Storage:Provider Postgres, e.g. \"Host=127.0.0.1;Database=blog;Username=blog;Password=…\".");
            else if (Describe(options.ConnectionString) is { } problem)
                failures.Add($"Storage:ConnectionString does not parse: {problem}");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static string? Describe(string connectionString)
    {
        try
        {
            var builder = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
            return string.IsNullOrEmpty(builder.Host) ? "it names no Host" : null;
        }
        catch (ArgumentException e)
        {
            return e.Message;
        }
    }
}
