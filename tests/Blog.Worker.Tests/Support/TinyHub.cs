using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Blog.Tests.Support;

/// <summary>A WebSub hub on loopback that records publish pings; it can refuse the first attempt for each feed.</summary>
public sealed class TinyHub : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ConcurrentDictionary<string, int> attempts = new();

    private TinyHub(WebApplication app, int port)
    {
        this.app = app;
        Url = $"http://127.0.0.1:{port}/hub";
    }

    public string Url { get; }

    /// <summary>Accepted pings, in order: the feed URL each named.</summary>
    public ConcurrentQueue<string> Accepted { get; } = new();

    public int Refused => refused;

    public bool RefuseFirstAttempt { get; set; }

    private int refused;

    public static async Task<TinyHub> StartAsync()
    {
        var port = RunningBlog.FreePort();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var hub = new TinyHub(app, port);
        app.MapPost("/hub", async (HttpContext context) =>
        {
            var form = await context.Request.ReadFormAsync();
            if (form["hub.mode"] != "publish") return Results.BadRequest();
            var feed = form["hub.url"].ToString();
            if (hub.RefuseFirstAttempt && hub.attempts.AddOrUpdate(feed, 1, (_, n) => n + 1) == 1)
            {
                Interlocked.Increment(ref hub.refused);
                return Results.StatusCode(503);
            }
            hub.Accepted.Enqueue(feed);
            return Results.NoContent();
        });
        await app.StartAsync();
        return hub;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
