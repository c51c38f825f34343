using System.CommandLine;
using Blog.Storage;

namespace Blog.Cli;

/// <summary><c>blog storage migrate</c>.</summary>
internal static class StorageCommands
{
    /// <summary>Where the target may come from instead of --to, which every user of the machine can read in the process list.</summary>
    public const string TargetVariable = "BLOG_MIGRATE_TO";

    public static async Task<int> MigrateAsync(IServiceProvider services, ParseResult args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var to = args.GetValue(CliSymbols.Target);
        if (string.IsNullOrWhiteSpace(to)) to = Environment.GetEnvironmentVariable(TargetVariable);
        if (string.IsNullOrWhiteSpace(to))
            return await SubscriberCommands.FailAsync(stderr, $"'storage migrate' needs --to \"<PostgreSQL connection string>\" or {TargetVariable} set to one");
        var source = services.GetRequiredService<Database>();
        if (source is not SqliteDatabase sqlite)
            return await SubscriberCommands.FailAsync(stderr, $"the data is in the {source.Name} already; 'storage migrate' copies a SQLite install (Storage:Provider Sqlite)");
        if (!File.Exists(sqlite.Path))
            return await SubscriberCommands.FailAsync(stderr, $"there is no database at {sqlite.Path}; point --data at the install to move");
        var options = new StorageOptions { Provider = StorageOptions.Postgres, ConnectionString = to };
        if (new StorageOptionsValidator().Validate(null, options).Failures?.FirstOrDefault() is { } invalid)
            return await SubscriberCommands.FailAsync(stderr, $"--to: {invalid.Replace("Storage:ConnectionString", "the connection string", StringComparison.Ordinal)}");
        using var target = new PostgresDatabase(Options.Create(options), services.GetRequiredService<ILogger<PostgresDatabase>>());
        var progress = TerminalProgress.For(stderr);
        try
        {
            await stdout.WriteLineAsync($"copying {source.Name} into the {target.Name}");
            var copied = await new StorageCopy(source, target).CopyAsync(progress, cancellationToken);
            progress?.Clear();
            foreach (var merge in source.CaseMerges) await stdout.WriteLineAsync($"  merged case duplicates (one subscriber now): {merge}");
            foreach (var (table, rows) in copied) await stdout.WriteLineAsync($"  {table,-12} {rows,9} rows, counts verified");
        }
        catch (StorageException e)
        {
            progress?.Clear();
            return await SubscriberCommands.FailAsync(stderr, e.Message);
        }
        await stdout.WriteLineAsync("done. On every node set Storage:Provider=Postgres and Storage:ConnectionString, and set Subscriptions:SigningKey");
        await stdout.WriteLineAsync("to the contents of the old data/signing.key, so the links already mailed keep working. The SQLite file is left as it was.");
        return BlogCli.Ok;
    }
}
