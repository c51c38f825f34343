using System.Globalization;
using Blog.Cli;
using Microsoft.Data.Sqlite;

namespace Blog.Tests.Inbox;

/// <summary>
/// A blog's data folder with subscribers, and a return mailbox of its own on the tests' Dovecot: the settings that
/// connect the two, the mail that comes back, and what the database then says.
/// </summary>
public sealed class InboxBlog : IDisposable
{
    private readonly TempFolder folder = new();
    private readonly DovecotServer dovecot;
    private int sent;

    public InboxBlog(DovecotServer dovecot, string protocol = "Imap")
    {
        this.dovecot = dovecot;
        (User, Password) = dovecot.NewUser();
        Protocol = protocol;
    }

    public string User { get; }
    public string Password { get; }
    public string Protocol { get; }

    public string Data => folder.Combine("data");

    public static string Content => Path.Combine(TestSite.RepositoryRoot(), "content", "posts");

    /// <summary>The settings of a blog that reads this mailbox over STARTTLS, trusting the server's own certificate.</summary>
    public string[] Settings =>
    [
        "--data", Data,
        "--Mail:Inbox:Protocol", Protocol,
        "--Mail:Inbox:Host", "127.0.0.1",
        "--Mail:Inbox:Port", (Protocol == "Pop3" ? dovecot.Pop3Port : dovecot.ImapPort).ToString(CultureInfo.InvariantCulture),
        "--Mail:Inbox:Security", "StartTls",
        "--Mail:Inbox:User", User,
        "--Mail:Inbox:Password", Password,
        "--Mail:Inbox:TrustedCertificatePath", dovecot.CertificatePath,
    ];

    public async Task<(int Exit, string Out, string Err)> RunAsync(params string[] args) => await RunAsync(args, CancellationToken.None);

    public async Task<(int Exit, string Out, string Err)> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        // The mailbox's settings first, so that a test's own (later) win.
        var verb = args.TakeWhile(a => !a.StartsWith("--", StringComparison.Ordinal)).Count();
        var exit = await BlogCli.RunAsync([.. args[..verb], .. Settings, .. args[verb..]], stdout, stderr, cancellationToken);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Active subscribers, imported at once.</summary>
    public async Task SubscribeAsync(params string[] addresses)
    {
        var csv = folder.Write($"list{Interlocked.Increment(ref sent)}.csv", "email\n" + string.Concat(addresses.Select(a => a + "\n")));
        var (exit, _, err) = await RunAsync("subscribers", "import", csv, "--confirmed", "--content", Content);
        Assert.True(exit == 0, err);
    }

    public void Deliver(string message) => dovecot.Deliver(User, message);

    public IReadOnlyList<string> Inbox => dovecot.Messages(User);

    public IReadOnlyList<string> Processed => dovecot.Messages(User, "Processed");

    /// <summary>A Postfix-style delivery report (RFC 3464) about <paramref name="recipient"/>, without a return path token: found by its address.</summary>
    public static string Dsn(string recipient, string status = "5.1.1", string? messageId = null) => $"""
        Return-Path: <>
        Date: Sun, 1 Mar 2026 12:05:11 +0000
        From: MAILER-DAEMON@relay.example.org (Mail Delivery System)
        Subject: Undelivered Mail Returned to Sender
        To: bounces@blog.example.com
        Auto-Submitted: auto-replied
        MIME-Version: 1.0
        Content-Type: multipart/report; report-type=delivery-status; boundary="b1"
        Message-Id: <{messageId ?? Guid.NewGuid().ToString("N") + "@relay.example.org"}>

        --b1
        Content-Type: text/plain; charset=us-ascii

        Your message could not be delivered to {recipient}.

        --b1
        Content-Type: message/delivery-status

        Reporting-MTA: dns; relay.example.org

        Final-Recipient: rfc822; {recipient}
        Original-Recipient: rfc822;{recipient}
        Action: failed
        Status: {status}
        Diagnostic-Code: smtp; 550 {status} <{recipient}>: Recipient address rejected: User unknown

        --b1--

        """;

    /// <summary>An out-of-office reply (RFC 3834): never a bounce.</summary>
    public static string AutoReply(string from) => $"""
        Date: Sun, 1 Mar 2026 12:05:11 +0000
        From: {from}
        To: bounces@blog.example.com
        Subject: Out of office: the weekly digest
        Auto-Submitted: auto-replied
        Message-Id: <{Guid.NewGuid():N}@example.net>

        I am away until Monday.

        """;

    /// <summary>A person's letter to the mailbox: for the owner to read.</summary>
    public static string Letter(string from) => $"""
        Date: Sun, 1 Mar 2026 12:05:11 +0000
        From: {from}
        To: bounces@blog.example.com
        Subject: Loved the last post
        Message-Id: <{Guid.NewGuid():N}@example.net>

        Thanks for writing it.

        """;

    public async Task<string> StatusAsync(string address) => (string)(await ScalarAsync("SELECT status FROM subscribers WHERE address = @a COLLATE NOCASE", address))!;

    public async Task<long> CountAsync(string sql) => (long)(await ScalarAsync(sql, null))!;

    public async Task<string?> ScalarTextAsync(string sql) => (string?)await ScalarAsync(sql, null);

    private async Task<object?> ScalarAsync(string sql, string? address)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(Data, "blog.db")};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        if (address is not null) command.Parameters.AddWithValue("@a", address);
        return await command.ExecuteScalarAsync();
    }

    public void Dispose() => folder.Dispose();
}
