using System.Diagnostics;

namespace Blog.Tests.Hosting;

/// <summary>The real executable, as systemd runs it.</summary>
public sealed class ShutdownTests
{
    [Fact]
    public async Task Sigterm_stops_the_service_cleanly_within_five_seconds()
    {
        using var folder = new TempFolder();
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "blog.dll"), "run", "--content", Path.Combine(TestSite.RepositoryRoot(), "content", "posts"),
            "--out", folder.Combine("out"), "--data", folder.Combine("data"), "--urls", LoopbackPort.AnyUrl })
            info.ArgumentList.Add(arg);
        using var process = Process.Start(info)!;
        var log = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        Uri? address = null;
        await Eventually.Until(() => { lock (log) return (address = LoopbackPort.FromLog(log.ToString())) is not null; }, "the service listening");
        using var client = new HttpClient { BaseAddress = address };
        await Eventually.Until(async () =>
        {
            try
            {
                using var health = await client.GetAsync("healthz");
                return health.IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, "the service answering");

        var stopwatch = Stopwatch.StartNew();
        Assert.Equal(0, ExternalTool.Run("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]).ExitCode);
        Assert.True(process.WaitForExit(TimeSpan.FromSeconds(5)), "still running 5 s after SIGTERM");
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(5));
        Assert.Equal(0, process.ExitCode);
        process.WaitForExit(); // the rest of its output read
        lock (log) Assert.Contains("Application is shutting down", log.ToString(), StringComparison.Ordinal);
    }
}
