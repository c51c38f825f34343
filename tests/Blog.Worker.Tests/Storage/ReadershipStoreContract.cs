using Blog.Readership;
using Blog.Storage;

namespace Blog.Tests.Storage;

/// <summary>
/// What every readership store must do: the latest count per aggregator, feed and day; a reader marked once a day
/// whichever node saw them; one salt a day for every node, gone with the day's marks once their count is folded; and
/// hostile volumes capped.
/// </summary>
public abstract class ReadershipStoreContract : StoreContract
{
    private static readonly DateOnly Today = DateOnly.FromDateTime(Now.UtcDateTime);
    private static readonly ReadershipLimits Limits = new(AggregatorsPerFeedDay: 3, ReadersPerFeedDay: 5);

    private SqlReadershipStore Readership => new SqlReadershipStore(Database);

    private static ReadershipBatch Aggregators(params AggregatorSighting[] sightings) => new(sightings, []);

    private static ReadershipBatch Marks(params ReaderMark[] marks) => new([], marks);

    [Fact]
    public async Task The_latest_count_per_aggregator_feed_and_day_is_kept_and_summed_across_aggregators()
    {
        await Readership.RecordAsync(Aggregators(
            new AggregatorSighting(Today, "feed.xml", "Feedly", 120, Now.AddHours(-2)),
            new AggregatorSighting(Today, "feed.xml", "Inoreader", 7, Now.AddHours(-1))), Limits, CancellationToken.None);
        // A later report replaces the earlier; one arriving late with an older time does not.
        await Readership.RecordAsync(Aggregators(new AggregatorSighting(Today, "feed.xml", "Feedly", 125, Now)), Limits, CancellationToken.None);
        await Readership.RecordAsync(Aggregators(new AggregatorSighting(Today, "feed.xml", "Feedly", 90, Now.AddHours(-3))), Limits, CancellationToken.None);
        await Readership.RecordAsync(Aggregators(new AggregatorSighting(Today.AddDays(-1), "feed.xml", "Feedly", 100, Now.AddDays(-1))), Limits, CancellationToken.None);

        var report = await Readership.ReportAsync(Today.AddDays(-29), Today, Limits, CancellationToken.None);

        Assert.Equal([new FeedDay(Today.AddDays(-1), "feed.xml", 100, 0, false), new FeedDay(Today, "feed.xml", 132, 0, false)], report.Days);
        Assert.Contains(new AggregatorDay(Today, "feed.xml", "Feedly", 125), report.Aggregators);
        Assert.Contains(new AggregatorDay(Today, "feed.xml", "Inoreader", 7), report.Aggregators);
    }

    [Fact]
    public async Task A_reader_marked_by_two_nodes_counts_once_and_each_feed_counts_its_own()
    {
        await Readership.RecordAsync(Marks(new ReaderMark(Today, "feed.xml", "r1"), new ReaderMark(Today, "feed.xml", "r2"), new ReaderMark(Today, "atom.xml", "r1")), Limits, CancellationToken.None);
        await Readership.RecordAsync(Marks(new ReaderMark(Today, "feed.xml", "r1")), Limits, CancellationToken.None);

        var report = await Readership.ReportAsync(Today, Today, Limits, CancellationToken.None);

        Assert.Equal([new FeedDay(Today, "atom.xml", 0, 1, false), new FeedDay(Today, "feed.xml", 0, 2, false)], report.Days);
        Assert.Equal([new FeedDay(Today, "", 0, 3, false)], report.Totals());
    }

    [Fact]
    public async Task Every_node_gets_the_same_salt_for_a_day_and_another_day_gets_another()
    {
        var first = await Readership.SaltAsync(Today, CancellationToken.None);
        var again = await new SqlReadershipStore(Database).SaltAsync(Today, CancellationToken.None);
        var tomorrow = await Readership.SaltAsync(Today.AddDays(1), CancellationToken.None);

        Assert.Equal(32, first.Length);
        Assert.Equal(first, again);
        Assert.NotEqual(first, tomorrow);
    }

    [Fact]
    public async Task Folding_keeps_past_days_counts_and_discards_their_marks_and_salts()
    {
        var yesterday = Today.AddDays(-1);
        var oldSalt = await Readership.SaltAsync(yesterday, CancellationToken.None);
        var todaySalt = await Readership.SaltAsync(Today, CancellationToken.None);
        await Readership.RecordAsync(Marks(new ReaderMark(yesterday, "feed.xml", "a"), new ReaderMark(yesterday, "feed.xml", "b"), new ReaderMark(Today, "feed.xml", "a")), Limits, CancellationToken.None);

        await Readership.FoldAsync(Today, CancellationToken.None);
        // A slow node's mark for the folded day is added on the next fold, not lost and not counted twice.
        await Readership.RecordAsync(Marks(new ReaderMark(yesterday, "feed.xml", "c")), Limits, CancellationToken.None);
        var beforeSecondFold = await Readership.ReportAsync(yesterday, Today, Limits, CancellationToken.None);
        await Readership.FoldAsync(Today, CancellationToken.None);
        var report = await Readership.ReportAsync(yesterday, Today, Limits, CancellationToken.None);

        Assert.Equal([new FeedDay(yesterday, "feed.xml", 0, 3, false), new FeedDay(Today, "feed.xml", 0, 1, false)], beforeSecondFold.Days);
        Assert.Equal(beforeSecondFold.Days, report.Days);
        Assert.Equal(0, await CountAsync("SELECT COUNT(*) FROM feed_reader_marks WHERE day < " + SqlReadershipStore.Day(Today)));
        Assert.Equal(1, await CountAsync("SELECT COUNT(*) FROM feed_reader_marks"));
        Assert.Equal(1, await CountAsync("SELECT COUNT(*) FROM blog_state WHERE key LIKE 'readership.salt.%'"));
        Assert.Equal(todaySalt, await Readership.SaltAsync(Today, CancellationToken.None));
        Assert.NotEqual(oldSalt, await Readership.SaltAsync(yesterday, CancellationToken.None));
    }

    [Fact]
    public async Task Hostile_volumes_are_capped_per_feed_and_day_and_the_readers_read_as_at_least()
    {
        var many = Enumerable.Range(0, 50).Select(i => new AggregatorSighting(Today, "feed.xml", $"Bot{i}", 1_000_000, Now)).ToArray();
        await Readership.RecordAsync(Aggregators(many), Limits, CancellationToken.None);
        await Readership.RecordAsync(Marks([.. Enumerable.Range(0, 50).Select(i => new ReaderMark(Today, "feed.xml", $"r{i}"))]), Limits, CancellationToken.None);
        await Readership.RecordAsync(Marks(new ReaderMark(Today, "feed.xml", "late")), Limits, CancellationToken.None);
        // An aggregator already kept still updates past the cap.
        await Readership.RecordAsync(Aggregators(new AggregatorSighting(Today, "feed.xml", "Bot0", 5, Now.AddMinutes(1))), Limits, CancellationToken.None);

        var report = await Readership.ReportAsync(Today, Today, Limits, CancellationToken.None);

        Assert.Equal(3, report.Aggregators.Count);
        Assert.Equal([new FeedDay(Today, "feed.xml", 2_000_005, 5, true)], report.Days);
    }

    private async Task<long> CountAsync(string sql)
    {
        await using var connection = await Database.OpenAsync(CancellationToken.None);
        await using var command = connection.Command(sql);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
