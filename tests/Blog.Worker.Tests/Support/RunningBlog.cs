using System.Net;
using Blog.Cli;
using Blog.Serving;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Blog.Tests.Support;

/// <summary><c>blog run</c> on real Kestrel on a loopback port of the system's choosing, with a client that sees raw (undecoded) responses.</summary>
public sealed class RunningBlog : IAsyncDisposable
{
    private readonly WebApplication app;

    private readonly TempFolder? ownData;

    private RunningBlog(WebApplication app, Uri address, TempFolder? ownData, CapturedLog log)
    {
        this.app = app;
        Log = log;
        this.ownData = ownData;
        Port = address.Port;
        Client = new HttpClient(new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.None, UseCookies = false })
        {
            BaseAddress = address,
        };
    }

    public int Port { get; }

    /// <summary>What the service logged (warnings and above, unless the settings say otherwise).</summary>
    public CapturedLog Log { get; }
    public HttpClient Client { get; }
    public Uri BaseAddress => Client.BaseAddress!;

    /// <summary>The owner's console, on its own listener (port 0 in tests).</summary>
    public Uri ConsoleAddress => LoopbackPort.ConsoleUri(app);

    public PublishedSite Site => Service<SiteHolder>().Current;

    /// <summary>Starts the service; unless the settings name a data folder, it gets a temporary one of its own.</summary>
    public static Task<RunningBlog> StartAsync(string content, string output, params string[] settings) =>
        StartAsync(content, output, selfLinked: false, settings);

    public static Task<RunningBlog> StartAsync(string content, string output, bool selfLinked, params string[] settings) =>
        StartAsync(content, output, selfLinked, null, settings);

    /// <param name="selfLinked">Site:Url is the service's own address, so the links in its mail lead back to it.</param>
    /// <param name="time">A clock to run the service on instead of the system's.</param>
    public static async Task<RunningBlog> StartAsync(string content, string output, bool selfLinked, TimeProvider? time, params string[] settings)
    {
        // The port is the system's pick (port 0), read back once bound; a self-linked service must name it before it
        // starts, so it is handed a socket bound beforehand.
        var services = new ServiceCollection();
        Uri? self = selfLinked ? new Uri($"http://127.0.0.1:{LoopbackPort.HandToKestrel(services)}/") : null;
        if (self is not null) settings = [$"--Site:Url={self}", .. settings];
        var own = settings.Any(s => s.StartsWith("--data", StringComparison.Ordinal) || s.StartsWith("--Storage:DataPath", StringComparison.Ordinal)) ? null : new TempFolder();
        string[] data = own is null ? [] : ["--data", own.Path];
        var log = new CapturedLog();
        var app = BlogCli.CreateService(["run", "--content", content, "--out", output, "--urls", LoopbackPort.AnyUrl,
            "--Logging:LogLevel:Default=Warning", .. data, .. settings], replace =>
            {
                foreach (var service in services) replace.Add(service);
                replace.AddSingleton<ILoggerProvider>(log);
                if (time is not null) replace.AddSingleton(time);
            });
        await app.StartAsync();
        var blog = new RunningBlog(app, self ?? LoopbackPort.BoundUri(app), own, log);
        await Eventually.Until(() => !ReferenceEquals(blog.Site, PublishedSite.Empty), "the first build");
        return blog;
    }

    public T Service<T>() where T : notnull => app.Services.GetRequiredService<T>();

    public string DataPath => Service<Microsoft.Extensions.Options.IOptions<Blog.Storage.StorageOptions>>().Value.DataPath;

    /// <summary>The pickup folder, where the default transport writes each mail.</summary>
    public PickupMail Mail => new(Path.Combine(DataPath, "mail"));

    /// <summary>The item titles of a served JSON Feed, in feed order.</summary>
    public async Task<List<string>> TitlesAsync(string path = "feed.json")
    {
        using var doc = System.Text.Json.JsonDocument.Parse(await Client.GetStringAsync(path));
        return [.. doc.RootElement.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("title").GetString()!)];
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await app.StopAsync();
        await app.DisposeAsync();
        ownData?.Dispose();
    }
}
