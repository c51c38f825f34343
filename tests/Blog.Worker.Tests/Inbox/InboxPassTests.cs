namespace Blog.Tests.Inbox;

/// <summary>A pass over a real return mailbox (Dovecot, IMAP and POP3 over STARTTLS), through <c>blog inbox check</c>.</summary>
[Collection(SharedDovecot.Name)]
public sealed class InboxPassTests(DovecotServer dovecot)
{
    [Fact]
    public async Task An_imap_pass_acts_on_reports_moves_them_to_Processed_and_leaves_the_rest()
    {
        using var blog = new InboxBlog(dovecot);
        await blog.SubscribeAsync("gone@example.net", "stays@example.net");
        blog.Deliver(InboxBlog.Dsn("gone@example.net"));
        blog.Deliver(InboxBlog.AutoReply("stays@example.net"));
        blog.Deliver(InboxBlog.Letter("reader@example.org"));

        var (exit, stdout, stderr) = await blog.RunAsync("inbox", "check", "--Mail:MaxBounces=1");

        Assert.True(exit == 0, stderr);
        Assert.Equal("1 bounces, 0 complaints, 0 unsubscribes, 1 ignored, 1 unhandled", stdout.Trim());
        Assert.Equal("bounced", await blog.StatusAsync("gone@example.net"));
        Assert.Equal("active", await blog.StatusAsync("stays@example.net"));
        Assert.Equal(2, blog.Processed.Count);
        Assert.Contains("Loved the last post", Assert.Single(blog.Inbox), StringComparison.Ordinal);

        // Again: the letter is still there for the owner, and nothing is counted twice.
        (exit, stdout, stderr) = await blog.RunAsync("inbox", "check", "--Mail:MaxBounces=1");
        Assert.True(exit == 0, stderr);
        Assert.Equal("0 bounces, 0 complaints, 0 unsubscribes, 0 ignored, 1 unhandled", stdout.Trim());
        Assert.Equal(1L, await blog.CountAsync("SELECT COUNT(*) FROM subscriber_events"));
    }

    [Fact]
    public async Task A_report_about_no_one_on_the_list_is_counted_as_such_not_as_a_bounce()
    {
        // The summary says what was done: a bounce for an address nobody subscribed with changes nothing.
        using var blog = new InboxBlog(dovecot);
        await blog.SubscribeAsync("stays@example.net");
        blog.Deliver(InboxBlog.Dsn("stranger@example.net"));

        var (exit, stdout, stderr) = await blog.RunAsync("inbox", "check");

        Assert.True(exit == 0, stderr);
        Assert.Equal("0 bounces, 0 complaints, 0 unsubscribes, 0 ignored, 0 unhandled, 1 not on the list", stdout.Trim());
        Assert.Equal("active", await blog.StatusAsync("stays@example.net"));
    }

    [Fact]
    public async Task Unhandled_mail_goes_to_the_unhandled_folder_when_there_is_one()
    {
        using var blog = new InboxBlog(dovecot);
        blog.Deliver(InboxBlog.Letter("reader@example.org"));

        var (exit, stdout, stderr) = await blog.RunAsync("inbox", "check", "--Mail:Inbox:UnhandledFolder=Unhandled");

        Assert.True(exit == 0, stderr);
        Assert.Equal("0 bounces, 0 complaints, 0 unsubscribes, 0 ignored, 1 unhandled", stdout.Trim());
        Assert.Empty(blog.Inbox);
        Assert.Single(dovecot.Messages(blog.User, "Unhandled"));
    }

    [Fact]
    public async Task A_pop3_pass_deletes_handled_mail_once_committed_and_keeps_the_rest()
    {
        using var blog = new InboxBlog(dovecot, "Pop3");
        await blog.SubscribeAsync("gone@example.net");
        blog.Deliver(InboxBlog.Dsn("gone@example.net", "4.2.2"));
        blog.Deliver(InboxBlog.Letter("reader@example.org"));

        var (exit, stdout, stderr) = await blog.RunAsync("inbox", "check");

        Assert.True(exit == 0, stderr);
        Assert.Equal("1 bounces, 0 complaints, 0 unsubscribes, 0 ignored, 1 unhandled", stdout.Trim());
        Assert.Equal("soft-bounce", (string?)await blog.ScalarTextAsync("SELECT kind FROM subscriber_events"));
        Assert.Contains("Loved the last post", Assert.Single(blog.Inbox), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_result_committed_but_not_moved_is_moved_by_the_next_pass_and_counted_once()
    {
        using var signal = new CommitSignal();
        using var blog = new InboxBlog(dovecot);
        await blog.SubscribeAsync("gone@example.net");
        blog.Deliver(InboxBlog.Dsn("gone@example.net"));

        // The pass commits, says so on the FIFO and waits; it is stopped there, before the move.
        using var stop = new CancellationTokenSource();
        var first = Task.Run(() => blog.RunAsync(["inbox", "check", $"--Mail:Inbox:CommitSignalPath={signal.Path}"], stop.Token));
        Assert.StartsWith("mid:", await signal.CommittedAsync(), StringComparison.Ordinal);
        await stop.CancelAsync();
        await signal.ReleaseAsync();
        try
        {
            Assert.NotEqual(0, (await first).Exit);
        }
        catch (OperationCanceledException)
        {
            // Stopped, as it should be: either way the message was not moved.
        }
        Assert.Single(blog.Inbox);
        Assert.Equal(1L, await blog.CountAsync("SELECT COUNT(*) FROM subscriber_events"));

        var (exit, stdout, stderr) = await blog.RunAsync("inbox", "check");

        Assert.True(exit == 0, stderr);
        Assert.Equal("0 bounces, 0 complaints, 0 unsubscribes, 0 ignored, 0 unhandled, 1 already seen", stdout.Trim());
        Assert.Empty(blog.Inbox);
        Assert.Single(blog.Processed);
        Assert.Equal(1L, await blog.CountAsync("SELECT COUNT(*) FROM subscriber_events"));
        Assert.Equal(1L, await blog.CountAsync("SELECT bounces FROM subscribers"));
    }

    [Fact]
    public async Task A_wrong_password_is_a_clear_error_naming_the_user_and_what_to_check()
    {
        using var blog = new InboxBlog(dovecot);
        blog.Deliver(InboxBlog.Letter("reader@example.org"));

        var (exit, stdout, stderr) = await blog.RunAsync("inbox", "check", "--Mail:Inbox:Password=wrong");

        Assert.Equal(1, exit);
        Assert.Equal("", stdout);
        Assert.Contains($"login refused for user \"{blog.User}\"", stderr, StringComparison.Ordinal);
        Assert.Contains("check Mail:Inbox:User and Mail:Inbox:Password", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong", stderr.Replace("wrong password", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Single(blog.Inbox);
    }

    [Fact]
    public async Task Starttls_needs_the_servers_certificate_to_be_trusted()
    {
        using var blog = new InboxBlog(dovecot);

        var (exit, _, stderr) = await blog.RunAsync("inbox", "check", "--Mail:Inbox:TrustedCertificatePath=");

        Assert.Equal(1, exit);
        Assert.Contains("the TLS handshake failed (is the certificate trusted? see Mail:Inbox:TrustedCertificatePath)", stderr, StringComparison.Ordinal);
    }
}
