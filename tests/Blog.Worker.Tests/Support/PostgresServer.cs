using System.Globalization;
using Npgsql;

namespace Blog.Tests.Support;

/// <summary>
/// A throw-away PostgreSQL server (Debian's) for the tests: <c>initdb</c> into a temp folder and <c>pg_ctl start</c> on
/// 127.0.0.1 and a free port, as the unprivileged <c>postgres</c> user when the tests run as root (the server refuses
/// root). Each test asks for a database of its own. A missing PostgreSQL fails the tests with the way to get it; it
/// never skips them.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    private readonly TempFolder folder = new();
    private int databases;

    /// <summary>
    /// The TCP port on 127.0.0.1. PostgreSQL cannot be handed port 0, so a start that finds its port taken (another
    /// process bound it between our choosing and the server's binding) is retried on another: the outcome never
    /// depends on that race, only the number of tries.
    /// </summary>
    public int Port { get; private set; }

    private string Data => folder.Combine("pgdata");

    private string Bin { get; } = FindBin();

    private static bool IsRoot => Environment.UserName == "root";

    public Task InitializeAsync()
    {
        Directory.CreateDirectory(Data);
        if (IsRoot) Run("chown", ["-R", "postgres:postgres", folder.Path]);
        AsServer(Path.Combine(Bin, "initdb"), ["-D", Data, "-U", "blog", "--auth=trust", "-E", "UTF8", "--no-sync"]);
        for (var attempt = 1; ; attempt++)
        {
            Port = LoopbackPort.Unused();
            var log = Path.Combine(Data, "server.log");
            try
            {
                AsServer(Path.Combine(Bin, "pg_ctl"), ["-D", Data, "-l", log, "-w", "-t", "60", "start", "-o",
                    $"-p {Port} -c listen_addresses=127.0.0.1 -k {Data} -c fsync=off -c synchronous_commit=off -c max_connections=300"]);
                return Task.CompletedTask;
            }
            catch (InvalidOperationException) when (attempt < 5 && File.Exists(log) && File.ReadAllText(log).Contains("could not bind", StringComparison.Ordinal))
            {
                // Taken in between: choose again.
            }
        }
    }

    /// <summary>A new, empty database; its connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = $"test_{Interlocked.Increment(ref databases).ToString(CultureInfo.InvariantCulture)}";
        await using (var connection = new NpgsqlConnection(ConnectionString("postgres")))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await create.ExecuteNonQueryAsync();
        }
        return ConnectionString(name);
    }

    public string ConnectionString(string database) => $"Host=127.0.0.1;Port={Port};Username=blog;Database={database};Timeout=30";

    public Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        try
        {
            AsServer(Path.Combine(Bin, "pg_ctl"), ["-D", Data, "-m", "immediate", "-w", "stop"]);
        }
        catch (InvalidOperationException)
        {
            // Stopped already; the folder goes either way.
        }
        folder.Dispose();
        return Task.CompletedTask;
    }

    private static void AsServer(string program, string[] args)
    {
        if (IsRoot) Run("runuser", ["-u", "postgres", "--", program, .. args]);
        else Run(program, args);
    }

    private static void Run(string program, string[] args)
    {
        var (exit, output) = ExternalTool.Run(program, args);
        if (exit != 0) throw new InvalidOperationException($"{program} {string.Join(' ', args)} failed ({exit}):\n{output}");
    }

    private static string FindBin()
    {
        var versions = Directory.Exists("/usr/lib/postgresql") ? Directory.GetDirectories("/usr/lib/postgresql") : [];
        var bin = versions.Select(v => Path.Combine(v, "bin")).Where(b => File.Exists(Path.Combine(b, "initdb")))
            .OrderByDescending(b => int.TryParse(Path.GetFileName(Path.GetDirectoryName(b)), out var v) ? v : 0).FirstOrDefault();
        return bin ?? throw new InvalidOperationException(
            "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb). Run the README's test command (bash tests/run.sh), which installs it, or: apt-get install -y postgresql");
    }
}

[CollectionDefinition(Name)]
public sealed class SharedPostgres : ICollectionFixture<PostgresServer>
{
    public const string Name = "postgres";
}
