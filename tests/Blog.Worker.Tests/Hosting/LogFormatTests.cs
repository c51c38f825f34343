using System.Diagnostics;
using System.Text.Json;

namespace Blog.Tests.Hosting;

/// <summary>
/// <c>Logging:Console:FormatterName</c> as README states it: <c>json</c> gives one JSON object per entry, <c>systemd</c>
/// the journal's form (a syslog priority prefix, one line per entry). The blog runs as its own process, so what is
/// checked is exactly what it writes to standard output.
/// </summary>
public sealed class LogFormatTests
{
    [Fact]
    public async Task The_json_format_writes_one_json_object_per_entry()
    {
        var line = await FirstPublishedLineAsync("json");
        using var entry = JsonDocument.Parse(line);
        var root = entry.RootElement;
        Assert.Equal("Information", root.GetProperty("LogLevel").GetString());
        Assert.Equal("Blog.Hosting.FeedRefreshService", root.GetProperty("Category").GetString());
        Assert.StartsWith("Published 1 posts", root.GetProperty("Message").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, root.GetProperty("State").GetProperty("Posts").GetInt32());
    }

    [Fact]
    public async Task The_systemd_format_writes_the_journal_priority_and_one_line_per_entry()
    {
        var line = await FirstPublishedLineAsync("systemd");
        // <6> is syslog's "informational".
        Assert.StartsWith($"<6>Blog.Hosting.FeedRefreshService[{LogEvents.FeedRefreshService.Published}] Published 1 posts", line, StringComparison.Ordinal);
    }

    /// <summary>Runs <c>blog run</c> with the formatter until it logs its first publication; returns that line.</summary>
    private static async Task<string> FirstPublishedLineAsync(string formatter)
    {
        using var folder = new TempFolder();
        folder.Write("posts/a.md", PostText.Of("A", "2026-01-01"));
        var blog = Path.Combine(AppContext.BaseDirectory, "blog.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
        {
            blog, "run", "--content", folder.Combine("posts"), "--out", folder.Combine("out"), "--data", folder.Combine("data"),
            "--urls", "http://127.0.0.1:0", $"--Logging:Console:FormatterName={formatter}",
        }) start.ArgumentList.Add(arg);
        // Not under systemd: the formatter is the setting's choice alone.
        start.Environment.Remove("INVOCATION_ID");
        start.Environment.Remove("JOURNAL_STREAM");
        using var process = Process.Start(start)!;
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            var lines = new List<string>();
            while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                lines.Add(line);
                if (line.Contains("Published 1 posts", StringComparison.Ordinal)) return line;
            }
            throw new InvalidOperationException($"blog exited ({process.ExitCode}) without publishing:\n{string.Join('\n', lines)}\n{await process.StandardError.ReadToEndAsync()}");
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }
}
