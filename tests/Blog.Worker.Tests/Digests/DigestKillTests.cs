using System.Diagnostics;
using Xunit.Abstractions;

namespace Blog.Tests.Digests;

/// <summary><c>kill -9</c> in the middle of a run, as a child process, then a restart: every subscriber gets their digest, once.</summary>
public sealed class DigestKillTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_run_killed_mid_send_resumes_and_nobody_is_missed_or_mailed_twice_beyond_those_in_flight()
    {
        const int subscribers = 300;
        await using var blog = await DigestBlog.CreateAsync(subscribers);
        blog.Smtp.Delay = TimeSpan.FromMilliseconds(10);

        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in (string[])[Path.Combine(AppContext.BaseDirectory, "blog.dll"), "digest", "send", "--cadence", "weekly", .. blog.Settings])
            info.ArgumentList.Add(arg);
        using (var process = Process.Start(info)!)
        {
            var drained = Task.WhenAll(process.StandardOutput.ReadToEndAsync(), process.StandardError.ReadToEndAsync());
            await Eventually.Until(() => blog.Smtp.Received.Count >= 60 || process.HasExited, "60 digests sent before the kill");
            Assert.False(process.HasExited, "the run ended before it could be killed; make it longer");
            // SIGKILL: no shutdown, no cleanup, leases left as they are.
            process.Kill();
            await process.WaitForExitAsync();
            await drained;
        }
        var beforeRestart = blog.Smtp.Received.Count;
        Assert.InRange(beforeRestart, 60, subscribers - 1);

        // The leases of the deliveries in flight run out after five minutes; a restart within them leaves those
        // alone, so the restart here comes as the lease would have run out: the claim time is moved back.
        await blog.ScalarAsync("UPDATE deliveries SET lease_until = NULL WHERE status = 'pending'");
        blog.Smtp.Delay = TimeSpan.Zero;
        var (exit, stdout, stderr) = await blog.RunAsync("digest", "send", "--cadence", "weekly");
        Assert.True(exit == 0, stderr);

        var perRecipient = blog.MessagesPerRecipient();
        Assert.Equal(subscribers, perRecipient.Count);
        var twice = perRecipient.Where(p => p.Value > 1).ToList();
        output.WriteLine($"{beforeRestart} sent before the kill; {stdout.Trim()}; sent twice: {twice.Count}");
        // At most the messages the server had taken when the process died, one a connection (Mail:Smtp:MaxConnections,
        // 4 here), each sent again with the same Message-ID.
        Assert.True(twice.Count <= 4, $"sent twice: {string.Join(", ", twice.Select(t => t.Key))}");
        Assert.All(twice, t => Assert.Equal(2, t.Value));
        foreach (var (address, _) in twice)
        {
            var ids = blog.Smtp.Received.Where(m => m.To.Mailboxes.Single().Address == address).Select(m => m.MessageId).Distinct();
            Assert.Single(ids);
        }
        Assert.Equal(0L, await blog.ScalarAsync("SELECT COUNT(*) FROM deliveries WHERE status IN ('pending', 'failed')"));
        Assert.Equal((long)subscribers, await blog.ScalarAsync("SELECT COUNT(*) FROM deliveries WHERE status = 'sent'"));
    }
}
