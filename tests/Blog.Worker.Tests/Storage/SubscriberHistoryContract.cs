using System.Globalization;
using Blog.MailingList;
using Blog.Storage;

namespace Blog.Tests.Storage;

/// <summary>
/// What the list's day-by-day history must do, on SQLite and PostgreSQL alike: a snapshot counts the list now and the
/// day's comings and goings; the days before the first snapshot are reconstructed once from the subscribers' own
/// dates and events, never over a day that has its row.
/// </summary>
public abstract class SubscriberHistoryContract : StoreContract
{
    private static readonly DateOnly Today = DateOnly.FromDateTime(Now.UtcDateTime);

    private SqlSubscriberHistory History => new(Database);

    private static DateTimeOffset At(string when) => DateTimeOffset.Parse(when + "Z", CultureInfo.InvariantCulture);

    private static DateOnly Day(string day) => DateOnly.ParseExact(day, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    private async Task<long> AddAsync(string address, string status, string created, string? confirmed = null, string? left = null)
    {
        await using var connection = await Database.OpenAsync(CancellationToken.None);
        await using var command = connection.Command(
            "INSERT INTO subscribers (address, address_key, status, tags, cadence, created_at, confirmed_at, unsubscribed_at) " +
            "VALUES (@address, @address, @status, '', 'weekly', @created, @confirmed, @left) RETURNING id", null,
            ("@address", address), ("@status", status), ("@created", At(created).ToUnixTimeMilliseconds()),
            ("@confirmed", confirmed is null ? DBNull.Value : At(confirmed).ToUnixTimeMilliseconds()),
            ("@left", left is null ? DBNull.Value : At(left).ToUnixTimeMilliseconds()));
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    private async Task EventAsync(long subscriber, string kind, string at)
    {
        await using var connection = await Database.OpenAsync(CancellationToken.None);
        await using var command = connection.Command(
            "INSERT INTO subscriber_events (subscriber_id, kind, source, at, event_key) VALUES (@id, @kind, 'test', @at, @key)", null,
            ("@id", subscriber), ("@kind", kind), ("@at", At(at).ToUnixTimeMilliseconds()), ("@key", kind + at));
        await command.ExecuteNonQueryAsync();
    }

    private static string Row(SubscriberDay d) =>
        FormattableString.Invariant($"{d.Day:yyyy-MM-dd} p{d.Pending} a{d.Active} u{d.Unsubscribed} b{d.Bounced} c{d.Complained} +{d.SignUps} -{d.Unsubscribes}");

    [Fact]
    public async Task A_snapshot_counts_the_list_by_status_and_the_days_sign_ups_and_unsubscribes_and_a_later_one_replaces_it()
    {
        await AddAsync("x@example.com", "active", "2026-02-27T10:00:00", "2026-02-27T11:00:00");
        var y = await AddAsync("y@example.com", "pending", "2026-03-01T08:00:00");
        await AddAsync("z@example.com", "unsubscribed", "2026-02-20T10:00:00", "2026-02-20T10:00:00", "2026-03-01T07:00:00");
        await AddAsync("w@example.com", "complained", "2026-03-01T09:00:00", "2026-03-01T09:00:00");

        await History.SnapshotAsync(Today, CancellationToken.None);
        await History.SnapshotAsync(Day("2026-02-27"), CancellationToken.None);
        await using (var connection = await Database.OpenAsync(CancellationToken.None))
        await using (var confirm = connection.Command("UPDATE subscribers SET status = 'active' WHERE id = @id", null, ("@id", y)))
            await confirm.ExecuteNonQueryAsync();
        await History.SnapshotAsync(Today, CancellationToken.None);

        var days = await History.DaysAsync(Day("2026-02-27"), Today, CancellationToken.None);
        Assert.Equal(["2026-02-27 p1 a1 u1 b0 c1 +1 -0", "2026-03-01 p0 a2 u1 b0 c1 +2 -1"], days.Select(Row));
        Assert.Empty(await History.DaysAsync(Day("2026-02-28"), Day("2026-02-28"), CancellationToken.None));
    }

    [Fact]
    public async Task The_days_before_the_first_snapshot_are_reconstructed_from_the_subscribers_dates_and_events_and_a_day_with_a_row_is_kept()
    {
        await AddAsync("a@example.com", "pending", "2026-02-20T10:00:00");
        await AddAsync("b@example.com", "active", "2026-02-21T09:00:00", "2026-02-22T08:00:00");
        await AddAsync("c@example.com", "unsubscribed", "2026-02-20T10:00:00", "2026-02-20T10:05:00", "2026-02-25T10:00:00");
        var d = await AddAsync("d@example.com", "bounced", "2026-02-22T10:00:00", "2026-02-22T10:05:00");
        await EventAsync(d, "soft-bounce", "2026-02-24T10:00:00");
        await EventAsync(d, "hard-bounce", "2026-02-26T10:00:00");
        var e = await AddAsync("e@example.com", "complained", "2026-02-23T10:00:00", "2026-02-23T10:05:00", "2026-02-27T10:00:00");
        await EventAsync(e, "complaint", "2026-02-27T10:00:00");
        // The day before today already has its snapshot: a reconstruction must not overwrite it.
        await AddAsync("f@example.com", "active", "2026-02-28T10:00:00", "2026-02-28T10:00:00");
        await History.SnapshotAsync(Day("2026-02-28"), CancellationToken.None);

        Assert.Equal(8, await History.ReconstructAsync(Today, 372, CancellationToken.None));
        Assert.Equal(0, await History.ReconstructAsync(Today, 372, CancellationToken.None));

        var days = await History.DaysAsync(Day("2026-02-01"), Today, CancellationToken.None);
        Assert.Equal(
        [
            "2026-02-20 p1 a1 u0 b0 c0 +2 -0",
            "2026-02-21 p2 a1 u0 b0 c0 +1 -0",
            "2026-02-22 p1 a3 u0 b0 c0 +1 -0",
            "2026-02-23 p1 a4 u0 b0 c0 +1 -0",
            "2026-02-24 p1 a4 u0 b0 c0 +0 -0",
            "2026-02-25 p1 a3 u1 b0 c0 +0 -1",
            "2026-02-26 p1 a2 u1 b1 c0 +0 -0",
            "2026-02-27 p1 a1 u1 b1 c1 +0 -1",
            // The snapshot's: the list as it is now, f's sign-up that day.
            "2026-02-28 p1 a2 u1 b1 c1 +1 -0",
        ], days.Select(Row));
    }

    [Fact]
    public async Task A_reconstruction_goes_back_no_further_than_asked_and_an_empty_list_has_no_history()
    {
        Assert.Equal(0, await History.ReconstructAsync(Today, 372, CancellationToken.None));
        await AddAsync("old@example.com", "active", "2024-01-01T10:00:00", "2024-01-01T10:00:00");

        Assert.Equal(10, await History.ReconstructAsync(Today, 10, CancellationToken.None));
        var days = await History.DaysAsync(Day("2020-01-01"), Today, CancellationToken.None);
        Assert.Equal(Today.AddDays(-10), days[0].Day);
        Assert.All(days, d => Assert.Equal(1, d.Active));
    }
}

public sealed class SqliteSubscriberHistoryTests : SubscriberHistoryContract
{
    protected override Task<StoreUnderTest> CreateAsync() => SqliteStores.CreateAsync();
}

[Collection(SharedPostgres.Name)]
public sealed class PostgresSubscriberHistoryTests(PostgresServer server) : SubscriberHistoryContract
{
    protected override Task<StoreUnderTest> CreateAsync() => PostgresStores.CreateAsync(server);
}
