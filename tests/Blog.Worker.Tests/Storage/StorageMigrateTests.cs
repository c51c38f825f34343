using Blog.Tests.Digests;
using Npgsql;

namespace Blog.Tests.Storage;

/// <summary><c>blog storage migrate</c>: a SQLite install with history, copied into a real PostgreSQL, then used there.</summary>
[Collection(SharedPostgres.Name)]
public sealed class StorageMigrateTests(PostgresServer server)
{
    [Fact]
    public async Task A_SQLite_install_moves_to_PostgreSQL_with_its_history_and_carries_on_there()
    {
        await using var blog = await DigestBlog.CreateAsync(20);
        Assert.Contains("sent 20 digests", (await blog.RunAsync("digest", "send", "--cadence", "weekly")).Out, StringComparison.Ordinal);
        Assert.Equal(0, (await blog.RunAsync("subscribers", "add", "late@example.com", "--Mail:Transport=Pickup")).Exit);
        var target = await server.CreateDatabaseAsync();

        var (exit, stdout, stderr) = await blog.RunAsync("storage", "migrate", "--to", target);
        Assert.True(exit == 0, stderr);
        Assert.Matches(@"subscribers\s+21 rows, counts verified", stdout);
        Assert.Matches(@"deliveries\s+20 rows, counts verified", stdout);
        foreach (var table in new[] { "subscribers", "mail_outbox", "digest_runs", "deliveries" })
            Assert.Equal(Convert.ToInt64(await blog.ScalarAsync($"SELECT COUNT(*) FROM {table}")), await CountAsync(target, table));
        Assert.Equal(await blog.ScalarAsync("SELECT SUM(watermark) FROM subscribers"), await ScalarAsync(target, "SELECT SUM(watermark)::bigint FROM subscribers"));

        string[] postgres = ["--Storage:Provider=Postgres", $"--Storage:ConnectionString={target}"];
        // The history came along: the watermarks say these posts were had, and the run is finished.
        var preview = await blog.RunAsync(["digest", "preview", "--to", "reader0007@example.com", .. postgres]);
        Assert.True(preview.Exit == 0, preview.Err);
        Assert.StartsWith("nothing new for reader0007@example.com", preview.Out, StringComparison.Ordinal);
        var again = await blog.RunAsync(["digest", "send", "--cadence", "weekly", .. postgres]);
        Assert.True(again.Exit == 0, again.Err);
        Assert.Equal(20, blog.Smtp.Received.Count);
        Assert.Matches(@"weekly/\S+\s+\S+ \S+\s+20\s+0\s+0\s+0", (await blog.RunAsync(["digest", "status", .. postgres])).Out);
        // New rows take ids after the copied ones.
        var added = await blog.RunAsync(["subscribers", "add", "new@example.com", "--confirmed", .. postgres]);
        Assert.True(added.Exit == 0, added.Err);
        Assert.Equal(22L, await ScalarAsync(target, "SELECT MAX(id) FROM subscribers"));

        var twice = await blog.RunAsync("storage", "migrate", "--to", target);
        Assert.Equal(1, twice.Exit);
        Assert.Contains("is not empty: subscribers has 22 rows", twice.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_target_is_refused_with_a_message_and_nothing_changes()
    {
        await using var blog = await DigestBlog.CreateAsync(1);
        var missing = await blog.RunAsync("storage", "migrate");
        Assert.Equal(1, missing.Exit);
        Assert.Contains("needs --to", missing.Err, StringComparison.Ordinal);
        var unreachable = await blog.RunAsync("storage", "migrate", "--to", $"Host=127.0.0.1;Port={RunningBlog.FreePort()};Username=blog;Database=x;Timeout=2");
        Assert.Equal(1, unreachable.Exit);
        Assert.Contains("cannot connect to the PostgreSQL database \"x\"", unreachable.Err, StringComparison.Ordinal);
    }

    private static async Task<long> CountAsync(string connectionString, string table) =>
        Convert.ToInt64(await ScalarAsync(connectionString, $"SELECT COUNT(*) FROM {table}"));

    private static async Task<object?> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }
}
