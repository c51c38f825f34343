using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Blog.Tests.Support;

/// <summary>A WebSub hub on loopback that records publish pings; it can refuse the first attempt for each feed, or every attempt.</summary>
public sealed class TinyHub : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ConcurrentDictionary<string, int> attempts = new();

    private TinyHub(WebApplication app) => this.app = app;

    public string Url { get; private set; } = "";

    /// <summary>Accepted pings, in order: the feed URL each named.</summary>
    public ConcurrentQueue<string> Accepted { get; } = new();

    /// <summary>Refused pings, in order: the feed URL each named.</summary>
    public ConcurrentQueue<string> Refusals { get; } = new();

    public int Refused => Refusals.Count;

    public bool RefuseFirstAttempt { get; set; }

    /// <summary>Refuses every ping (503) while set, as a hub that is down would.</summary>
    public bool RefuseAll { get; set; }

    public static async Task<TinyHub> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(LoopbackPort.AnyUrl);
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var hub = new TinyHub(app);
        app.MapPost("/hub", async (HttpContext context) =>
        {
            var form = await context.Request.ReadFormAsync();
            if (form["hub.mode"] != "publish") return Results.BadRequest();
            var feed = form["hub.url"].ToString();
            if (hub.RefuseAll || (hub.RefuseFirstAttempt && hub.attempts.AddOrUpdate(feed, 1, (_, n) => n + 1) == 1))
            {
                hub.Refusals.Enqueue(feed);
                return Results.StatusCode(503);
            }
            hub.Accepted.Enqueue(feed);
            return Results.NoContent();
        });
        await app.StartAsync();
        hub.Url = $"{LoopbackPort.BoundUri(app).AbsoluteUri}hub";
        return hub;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
