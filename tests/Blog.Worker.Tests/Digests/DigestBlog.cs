using System.Globalization;
using Blog.Cli;
using Microsoft.Data.Sqlite;

namespace Blog.Tests.Digests;

/// <summary>
/// A blog with posts and confirmed subscribers on real folders, whose digests go to an SMTP server on loopback.
/// Subscribers are confirmed an hour back (set in the database), and the posts are half an hour old, so every
/// subscriber has exactly those posts to get.
/// </summary>
public sealed class DigestBlog : IAsyncDisposable
{
    private readonly TempFolder folder = new();

    private DigestBlog(SmtpTestServer smtp) => Smtp = smtp;

    public SmtpTestServer Smtp { get; }
    public string Data => folder.Combine("data");
    public string Posts => folder.Combine("posts");

    public static async Task<DigestBlog> CreateAsync(int subscribers, params string[] postTags)
    {
        var blog = new DigestBlog(await SmtpTestServer.StartAsync());
        var date = DateTimeOffset.UtcNow.AddMinutes(-45).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        for (var i = 0; i < Math.Max(postTags.Length, 1); i++)
            blog.folder.Write($"posts/post-{i}.md", PostText.Of($"Post {i}", date, extra: postTags.Length > i ? $"tags: [{postTags[i]}]" : ""));
        var csv = blog.folder.Write("list.csv", "email,cadence\n" + string.Concat(Enumerable.Range(0, subscribers).Select(n => $"reader{n:D4}@example.com,weekly\n")));
        var (exit, _, stderr) = await blog.RunAsync("subscribers", "import", csv, "--confirmed");
        Assert.True(exit == 0, stderr);
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(blog.Data, "blog.db")}");
        await connection.OpenAsync();
        await using var backdate = connection.CreateCommand();
        backdate.CommandText = "UPDATE subscribers SET confirmed_at = confirmed_at - 3600000";
        await backdate.ExecuteNonQueryAsync();
        return blog;
    }

    public string[] Settings => ["--content", Posts, .. ServiceSettings];

    /// <summary>The settings but where the posts are, for a service started with them given apart (<see cref="RunningBlog"/>).</summary>
    public string[] ServiceSettings => ["--data", Data, "--Mail:Transport=Smtp", "--Mail:Smtp:Host=127.0.0.1",
        $"--Mail:Smtp:Port={Smtp.Port.ToString(CultureInfo.InvariantCulture)}", "--Mail:Smtp:Security=None", "--Mail:RetryDelay=00:00:00.050",
        "--Logging:LogLevel:Default=None"];

    /// <summary>A command with this blog's data, posts and SMTP server.</summary>
    public async Task<(int Exit, string Out, string Err)> RunAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        string[] settings = args[1] is "import" ? ["--data", Data, "--content", Posts] : args[0] is "storage" || args[0] == "digest" && args[1] is "status" or "retry" ? ["--data", Data] : Settings;
        // The test's own arguments come last, so a setting given there wins over this blog's.
        var exit = await BlogCli.RunAsync([args[0], args[1], .. settings, .. args.Skip(2)], stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    public Dictionary<string, int> MessagesPerRecipient() =>
        Smtp.Received.GroupBy(m => m.To.Mailboxes.Single().Address).ToDictionary(g => g.Key, g => g.Count());

    public async Task<object?> ScalarAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(Data, "blog.db")};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await Smtp.DisposeAsync();
        SqliteConnection.ClearAllPools();
        folder.Dispose();
    }
}
