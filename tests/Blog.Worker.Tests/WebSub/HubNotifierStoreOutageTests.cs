using System.Data.Common;
using System.Threading.Channels;
using Blog.Feeds;
using Blog.Serving;
using Blog.Site;
using Blog.Storage;
using Blog.WebSub;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Blog.Tests.WebSub;

/// <summary>The notifier on a real SQLite file that can be made unreachable, a fake clock and a real hub on loopback.</summary>
public sealed class HubNotifierStoreOutageTests
{
    /// <summary>Feeds:HubRetryDelay, then the waits expected after each failed try: that delay (at least a second), doubling, never more than a minute.</summary>
    [Theory]
    [InlineData(10, new[] { 10, 20, 40, 60, 60 })]
    [InlineData(0, new[] { 1, 2, 4, 8, 16 })]
    [InlineData(3600, new[] { 60, 60 })]
    public async Task While_the_store_is_down_it_is_tried_at_doubling_intervals_up_to_a_minute_and_the_ping_is_sent_once_when_it_is_back(
        int retryDelaySeconds, int[] waitSeconds)
    {
        await using var hub = await TinyHub.StartAsync();
        using var folder = new TempFolder();
        using var database = new UnreachableDatabase(TestSubscriptions.Database(folder.Combine("data")));
        var clock = new TimerWatchingClock();
        var log = new CapturedLog();
        var services = new ServiceCollection()
            .AddLogging(b => b.AddProvider(log))
            .AddSingleton<TimeProvider>(clock)
            .AddSingleton<Database>(database)
            .AddSingleton(Options.Create(new FeedsOptions { Hubs = [hub.Url], HubRetryDelay = TimeSpan.FromSeconds(retryDelaySeconds) }))
            .AddSingleton(Options.Create(new SiteOptions { Url = "https://blog.example.com" }));
        services.AddWebSub();
        await using var provider = services.BuildServiceProvider();
        var notifier = provider.GetRequiredService<HubNotifier>();

        database.Down = true;
        notifier.Changed([Feed("feed.xml")]);
        await notifier.StartAsync(CancellationToken.None);
        try
        {
            // One try, then a wait on the clock before each next.
            var waits = waitSeconds.Select(s => TimeSpan.FromSeconds(s)).ToArray();
            for (var i = 0; i < waits.Length; i++)
            {
                await clock.Scheduled(waits[i]);
                Assert.Equal(i + 1, database.Attempts);
                if (i < waits.Length - 1) clock.Advance(waits[i]);
            }
            // The outage is said once, not once per try.
            Assert.Equal(1, log.Count("WebSub pings cannot be stored", LogLevel.Error));
            Assert.Equal(1, log.Entries.Count(e => e.Level >= LogLevel.Warning));

            database.Down = false;
            clock.Advance(waits[^1]);
            await Eventually.Until(() => hub.Accepted.Count == 1, "the ping once the store is back");
            await Eventually.Until(() => log.Count("WebSub pings are stored again", LogLevel.Information) == 1, "the store's return, logged");

            // A later change is the signal that the loop went round again: the first ping was recorded once and sent once.
            notifier.Changed([Feed("atom.xml")]);
            await Eventually.Until(() => hub.Accepted.Count == 2, "the ping for the next change");
            Assert.Equal(["https://blog.example.com/feed.xml", "https://blog.example.com/atom.xml"], hub.Accepted);
            Assert.Equal(1, log.Count("WebSub pings cannot be stored"));
            Assert.Equal(1, log.Count("WebSub pings are stored again"));
        }
        finally
        {
            await notifier.StopAsync(CancellationToken.None);
        }
    }

    private static ServedDocument Feed(string path) => new(path, [1, 2, 3], "application/xml", null);

    /// <summary>A fake clock that says when a timer is set, and for how long, so a test waits for the wait rather than for time.</summary>
    private sealed class TimerWatchingClock : FakeTimeProvider
    {
        private readonly Channel<TimeSpan> scheduled = Channel.CreateUnbounded<TimeSpan>();

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var timer = base.CreateTimer(callback, state, dueTime, period);
            scheduled.Writer.TryWrite(dueTime);
            return timer;
        }

        /// <summary>Done when a timer of <paramref name="due"/> is set; fails the test if none is within a few seconds.</summary>
        public async Task Scheduled(TimeSpan due)
        {
            using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                while (await scheduled.Reader.ReadAsync(bound.Token) != due)
                {
                }
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"no wait of {due} was set within 10 s");
            }
        }
    }

    /// <summary>The real SQLite database, except that while <see cref="Down"/> a connection fails as an unreachable database's does.</summary>
    private sealed class UnreachableDatabase(SqliteDatabase inner) : Database
    {
        private int attempts;
        private volatile bool down;

        public bool Down
        {
            get => down;
            set => down = value;
        }

        /// <summary>Connections asked for while down.</summary>
        public int Attempts => Volatile.Read(ref attempts);

        public override string Name => inner.Name;

        public override SqlDialect Dialect => inner.Dialect;

        public override int SchemaVersion => inner.SchemaVersion;

        public override Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
        {
            if (!Down) return inner.OpenAsync(cancellationToken);
            Interlocked.Increment(ref attempts);
            throw new DatabaseUnreachableException("cannot open the database: unreachable (test)");
        }

        protected override Task MigrateSchemaAsync(CancellationToken cancellationToken) => inner.MigrateAsync(cancellationToken);

        public override Task<WriteTurn> WriterAsync(CancellationToken cancellationToken, bool crashSafeOnly = false) =>
            inner.WriterAsync(cancellationToken, crashSafeOnly);

        public override Task<DbTransaction> BeginGuardedAsync(DbConnection connection, string? key, CancellationToken cancellationToken) =>
            inner.BeginGuardedAsync(connection, key, cancellationToken);

        protected override void Dispose(bool disposing)
        {
            if (disposing) inner.Dispose();
            base.Dispose(disposing);
        }
    }
}
