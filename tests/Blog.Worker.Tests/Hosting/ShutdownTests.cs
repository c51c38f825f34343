using System.Diagnostics;

namespace Blog.Tests.Hosting;

/// <summary>The real executable, as systemd runs it.</summary>
public sealed class ShutdownTests
{
    [Fact]
    public async Task Sigterm_stops_the_service_cleanly_within_five_seconds()
    {
        using var folder = new TempFolder();
        var port = RunningBlog.FreePort();
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "blog.dll"), "run", "--content", Path.Combine(TestSite.RepositoryRoot(), "content", "posts"),
            "--out", folder.Combine("out"), "--data", folder.Combine("data"), "--urls", $"http://127.0.0.1:{port}" })
            info.ArgumentList.Add(arg);
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
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
        Assert.Contains("Application is shutting down", await output + await errors, StringComparison.Ordinal);
    }
}
