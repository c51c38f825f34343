using System.Diagnostics;
using Xunit.Abstractions;

namespace Blog.Tests.Inbox;

/// <summary>
/// <c>kill -9</c> of <c>blog inbox check</c> between committing a batch of reports and moving it, again and again: the
/// counts stay exact. Batches of two, so that each kill lands after a commit of two reports in one transaction.
/// </summary>
[Collection(SharedDovecot.Name)]
public sealed class InboxKillTests(DovecotServer dovecot, ITestOutputHelper output)
{
    [Fact]
    public async Task Killed_between_batch_commit_and_move_twenty_times_every_report_counts_once_and_is_moved()
    {
        const int reports = 50;
        const int kills = 20;
        const int batch = 2;
        using var signal = new CommitSignal();
        using var blog = new InboxBlog(dovecot);
        var addresses = Enumerable.Range(0, reports).Select(i => $"r{i}@example.net").ToArray();
        await blog.SubscribeAsync(addresses);
        foreach (var address in addresses) blog.Deliver(InboxBlog.Dsn(address));

        for (var i = 0; i < kills; i++)
        {
            var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var arg in (string[])[Path.Combine(AppContext.BaseDirectory, "blog.dll"), "inbox", "check", .. blog.Settings,
                         "--Mail:Inbox:CommitSignalPath", signal.Path, "--Mail:Inbox:BatchSize", $"{batch}"])
                info.ArgumentList.Add(arg);
            using var process = Process.Start(info)!;
            var drained = Task.WhenAll(process.StandardOutput.ReadToEndAsync(), process.StandardError.ReadToEndAsync());
            // The pass has committed a batch of reports and waits before moving them: SIGKILL lands exactly there.
            // Each pass goes past the batches committed before (only moving them, later) to the first new one.
            await signal.CommittedAsync();
            process.Kill();
            await process.WaitForExitAsync();
            await drained;
        }
        Assert.Equal((long)(kills * batch), await blog.CountAsync("SELECT COUNT(*) FROM subscriber_events"));
        // Handled mail is moved in batches at the end of a pass, which none of these reached: every report is still there.
        Assert.Equal(reports, blog.Inbox.Count);

        var (exit, stdout, stderr) = await blog.RunAsync("inbox", "check");
        output.WriteLine(stdout);

        Assert.True(exit == 0, stderr);
        Assert.Equal($"{reports - kills * batch} bounces, 0 complaints, 0 unsubscribes, 0 ignored, 0 unhandled, {kills * batch} already seen", stdout.Trim());
        Assert.Empty(blog.Inbox);
        Assert.Equal(reports, blog.Processed.Count);
        Assert.Equal((long)reports, await blog.CountAsync("SELECT COUNT(*) FROM subscriber_events"));
        Assert.Equal((long)reports, await blog.CountAsync("SELECT COUNT(DISTINCT subscriber_id) FROM subscriber_events"));
        Assert.Equal((long)reports, await blog.CountAsync("SELECT SUM(bounces) FROM subscribers"));
    }
}
