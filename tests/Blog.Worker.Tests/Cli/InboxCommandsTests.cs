namespace Blog.Tests.Cli;

/// <summary><c>blog inbox check</c> as a script sees it; its passes against Dovecot are in tests/Inbox.</summary>
public sealed class InboxCommandsTests : IDisposable
{
    private readonly TempFolder folder = new();

    [Fact]
    public async Task Check_without_a_mailbox_says_which_settings_to_set()
    {
        var (exit, stdout, stderr) = await BlogCommand.RunAsync("inbox", "check", "--data", folder.Combine("data"));

        Assert.Equal(1, exit);
        Assert.Equal("", stdout);
        Assert.Contains("set Mail:Inbox:Host, Mail:Inbox:User and Mail:Inbox:Password", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_inbox_settings_are_named_with_their_values_before_anything_connects()
    {
        var (exit, _, stderr) = await BlogCommand.RunAsync("inbox", "check", "--data", folder.Combine("data"),
            "--Mail:Inbox:Host=127.0.0.1", "--Mail:Inbox:User=bounces", "--Mail:Inbox:PollInterval=00:00:00", "--Mail:Inbox:MaxMessageBytes=10");

        Assert.Equal(2, exit);
        Assert.Contains("Mail:Inbox:Password must be set when Mail:Inbox:User is.", stderr, StringComparison.Ordinal);
        Assert.Contains("Mail:Inbox:PollInterval must be between 00:00:01 and 00:25:00 (IMAP servers end an IDLE after 30 minutes), but is 00:00:00.", stderr, StringComparison.Ordinal);
        Assert.Contains("Mail:Inbox:MaxMessageBytes must be between 16384 and 67108864, but is 10.", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_says_what_check_does_with_each_kind_of_mail()
    {
        var (exit, stdout, _) = await BlogCommand.RunAsync("inbox", "check", "--help");

        Assert.Equal(0, exit);
        Assert.Contains("N bounces, N complaints, N unsubscribes, N ignored", stdout, StringComparison.Ordinal);
        Assert.Contains("Mail:Inbox:ProcessedFolder", stdout, StringComparison.Ordinal);
    }

    public void Dispose() => folder.Dispose();
}
