using System.Net;
using System.Net.Sockets;
using Blog.Cli;
using Blog.Serving;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Blog.Tests.Support;

/// <summary><c>blog run</c> on real Kestrel on a free loopback port, with a client that sees raw (undecoded) responses.</summary>
public sealed class RunningBlog : IAsyncDisposable
{
    private readonly WebApplication app;

    private RunningBlog(WebApplication app, int port)
    {
        this.app = app;
        Port = port;
        Client = new HttpClient(new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.None, UseCookies = false })
        {
            BaseAddress = new Uri($"http://127.0.0.1:{port}/"),
        };
    }

    public int Port { get; }
    public HttpClient Client { get; }
    public Uri BaseAddress => Client.BaseAddress!;

    public PublishedSite Site => Service<SiteHolder>().Current;

    public static async Task<RunningBlog> StartAsync(string content, string output, params string[] settings)
    {
        var port = FreePort();
        var app = BlogCli.CreateService(["run", "--content", content, "--out", output, "--urls", $"http://127.0.0.1:{port}",
            "--Logging:LogLevel:Default=Warning", .. settings]);
        await app.StartAsync();
        var blog = new RunningBlog(app, port);
        await Eventually.Until(() => !ReferenceEquals(blog.Site, PublishedSite.Empty), "the first build");
        return blog;
    }

    public T Service<T>() where T : notnull => app.Services.GetRequiredService<T>();

    /// <summary>The item titles of a served JSON Feed, in feed order.</summary>
    public async Task<List<string>> TitlesAsync(string path = "feed.json")
    {
        using var doc = System.Text.Json.JsonDocument.Parse(await Client.GetStringAsync(path));
        return [.. doc.RootElement.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("title").GetString()!)];
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
