using System.Diagnostics;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Blog.Tests.Operations;

/// <summary>
/// With <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> set, the service pushes its metrics there. The real executable, with the
/// standard variables in its own environment only (no other test sees them), and a small OTLP/HTTP receiver on port 0.
/// </summary>
public sealed class OtlpExportTests
{
    [Fact]
    public async Task The_metrics_are_pushed_to_the_endpoint_the_standard_variables_name()
    {
        var received = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(LoopbackPort.AnyUrl);
        await using var receiver = builder.Build();
        receiver.MapPost("/v1/metrics", async context =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            // Protobuf keeps names as plain UTF-8: enough to see which instruments came.
            var text = Encoding.UTF8.GetString(body.ToArray());
            if (text.Contains("blog.feed.build.duration", StringComparison.Ordinal)) received.TrySetResult(text);
            context.Response.StatusCode = StatusCodes.Status200OK;
        });
        await receiver.StartAsync();

        using var folder = new TempFolder();
        folder.Write("posts/a.md", PostText.Of("A", "2026-01-01"));
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "blog.dll"), "run", "--content", folder.Combine("posts"),
            "--out", folder.Combine("out"), "--data", folder.Combine("data"), "--urls", LoopbackPort.AnyUrl })
            info.ArgumentList.Add(arg);
        info.Environment["OTEL_EXPORTER_OTLP_ENDPOINT"] = LoopbackPort.BoundUri(receiver).ToString().TrimEnd('/');
        info.Environment["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf";
        info.Environment["OTEL_METRIC_EXPORT_INTERVAL"] = "200";
        using var process = Process.Start(info)!;
        var log = new StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            var winner = await Task.WhenAny(received.Task, process.WaitForExitAsync(), Task.Delay(TimeSpan.FromSeconds(60)));
            string output;
            lock (log) output = log.ToString();
            Assert.True(winner == received.Task, $"no export received; the service said:\n{output}");
            var export = await received.Task;
            Assert.Contains("Blog.Feeds", export, StringComparison.Ordinal);
            Assert.Contains("blog.posts.published", export, StringComparison.Ordinal);
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }
}
