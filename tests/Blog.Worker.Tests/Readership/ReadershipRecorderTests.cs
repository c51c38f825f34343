using System.Net;
using Blog.Readership;
using Blog.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Blog.Tests.Readership;

/// <summary>The recorder on a real SQLite file: what a day of feed requests becomes, and what is left of it after the day.</summary>
public sealed class ReadershipRecorderTests : IDisposable
{
    private static readonly DateTimeOffset Morning = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly Day = new(2026, 3, 1);
    private const string Firefox = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";

    private readonly TempFolder folder = new();
    private readonly SqliteDatabase database;
    private readonly SqlReadershipStore store;
    private readonly FakeTimeProvider time = new(Morning);

    public ReadershipRecorderTests()
    {
        database = TestSubscriptions.Database(folder.Path);
        store = new SqlReadershipStore(database);
    }

    private ReadershipRecorder Recorder(int bufferSize = 100) =>
        Recorder(Options.Create(new ReadershipOptions { BufferSize = bufferSize }));

    private ReadershipRecorder Recorder(IOptions<ReadershipOptions> options) =>
        new(new ReadershipBuffer(options, time), store, options, time, NullLogger<ReadershipRecorder>.Instance);

    [Fact]
    public async Task A_day_of_requests_becomes_aggregator_counts_and_distinct_readers_per_network_and_user_agent()
    {
        var recorder = Recorder();
        // Two machines behind one /24 with one browser are one reader; another browser there is another.
        recorder.Record("feed.xml", Firefox, IPAddress.Parse("192.0.2.10"));
        recorder.Record("feed.xml", Firefox, IPAddress.Parse("192.0.2.99"));
        recorder.Record("feed.xml", "newsboat/2.21.0", IPAddress.Parse("::ffff:192.0.2.10"));
        recorder.Record("feed.xml", Firefox, IPAddress.Parse("2001:db8:1:2::1"));
        recorder.Record("feed.xml", Firefox, IPAddress.Parse("2001:db8:1:ffff::2"));
        recorder.Record("feed.xml", "Feedly/1.0 (+http://www.feedly.com/fetcher.html; 120 subscribers; )", IPAddress.Parse("198.51.100.1"));
        time.Advance(TimeSpan.FromMinutes(1));
        recorder.Record("feed.xml", "Feedly/1.0 (+http://www.feedly.com/fetcher.html; 121 subscribers; )", IPAddress.Parse("198.51.100.2"));
        recorder.Record("tags/go/atom.xml", Firefox, IPAddress.Parse("192.0.2.10"));

        await recorder.FlushAsync(CancellationToken.None);

        var report = await store.ReportAsync(Day, Day, new ReadershipOptions().Limits(), CancellationToken.None);
        Assert.Equal([new FeedDay(Day, "feed.xml", 121, 3, false), new FeedDay(Day, "tags/go/atom.xml", 0, 1, false)], report.Days);
        Assert.Equal([new AggregatorDay(Day, "feed.xml", "Feedly", 121)], report.Aggregators);
        Assert.Equal(0, recorder.Dropped);
    }

    [Fact]
    public async Task After_the_day_only_its_count_is_left_and_the_same_reader_is_not_linkable_to_the_next_day()
    {
        var recorder = Recorder();
        recorder.Record("feed.xml", Firefox, IPAddress.Parse("192.0.2.10"));
        await recorder.FlushAsync(CancellationToken.None);
        var first = await ReadersAsync();

        time.SetUtcNow(Morning.AddDays(1));
        recorder.Record("feed.xml", Firefox, IPAddress.Parse("192.0.2.10"));
        await recorder.FlushAsync(CancellationToken.None);

        var report = await store.ReportAsync(Day, Day.AddDays(1), new ReadershipOptions().Limits(), CancellationToken.None);
        Assert.Equal([new FeedDay(Day, "feed.xml", 0, 1, false), new FeedDay(Day.AddDays(1), "feed.xml", 0, 1, false)], report.Days);
        var second = await ReadersAsync();
        Assert.Single(first);
        Assert.Single(second);
        Assert.NotEqual(first, second);
        Assert.Equal(["readership.salt.2026-03-02"], await StateKeysAsync());
    }

    [Fact]
    public async Task A_full_buffer_drops_and_counts_instead_of_waiting()
    {
        var recorder = Recorder(bufferSize: 2);
        for (var i = 0; i < 5; i++) recorder.Record("feed.xml", Firefox + i, IPAddress.Parse("192.0.2.10"));

        Assert.Equal(3, recorder.Dropped);
        await recorder.FlushAsync(CancellationToken.None);
        var report = await store.ReportAsync(Day, Day, new ReadershipOptions().Limits(), CancellationToken.None);
        Assert.Equal(2, report.Days.Single().DirectReaders);
    }

    private async Task<List<string>> ReadersAsync() => await ColumnAsync("SELECT reader FROM feed_reader_marks");

    private async Task<List<string>> StateKeysAsync() => await ColumnAsync("SELECT key FROM blog_state WHERE key LIKE 'readership.%'");

    private async Task<List<string>> ColumnAsync(string sql)
    {
        await using var connection = await database.OpenAsync(CancellationToken.None);
        await using var command = connection.Command(sql);
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<string>();
        while (await reader.ReadAsync()) values.Add(reader.GetString(0));
        return values;
    }

    public void Dispose()
    {
        database.Dispose();
        folder.Dispose();
    }
}
