using System.Text;
using Blog.Mail;
using Blog.Subscribers;

namespace Blog.Tests.Storage;

/// <summary>
/// What every subscriber store must do, whatever database is under it. A store's test class derives from this and
/// says how to make an empty store; the tests are the same for all.
/// </summary>
public abstract class SubscriberStoreContract : StoreContract
{
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    private static QueuedMail Mail(Subscriber s) => new(s.Address, $"confirm.{s.Id}@test", "confirm", Encoding.ASCII.GetBytes($"To: {s.Address}\r\n\r\nhi\r\n"));

    private Task<SignUpResult> SignUp(string address, DateTimeOffset at, string cadence = "weekly", params string[] tags) =>
        Store.SignUpAsync(TestSubscriptions.Draft(address, cadence: cadence, tags: tags), at, Hour, Mail, CancellationToken.None);

    private async Task<int> Queued() => (await Outbox.CountAsync(CancellationToken.None)).Pending;

    [Fact]
    public async Task A_new_sign_up_is_pending_with_its_confirmation_queued_in_the_same_change()
    {
        var result = await SignUp("ann@example.com", Now, "daily", "ai");
        Assert.True(result.ConfirmationQueued);
        var s = result.Subscriber;
        Assert.Equal(("ann@example.com", SubscriberStatus.Pending, "daily"), (s.Address, s.Status, s.Cadence));
        Assert.Equal<string>(["ai"], s.Tags);
        Assert.Equal(Now, s.CreatedAt);
        Assert.Equal(Now, s.ConfirmationSentAt);
        Assert.Null(s.ConfirmedAt);
        Assert.Null(s.Watermark);
        Assert.Equal(1, await Queued());
    }

    [Fact]
    public async Task When_the_confirmation_cannot_be_made_the_sign_up_is_not_stored_either()
    {
        await Assert.ThrowsAsync<InvalidOperationException>(() => Store.SignUpAsync(TestSubscriptions.Draft("ann@example.com"), Now, Hour,
            _ => throw new InvalidOperationException("template broke"), CancellationToken.None));
        Assert.Null(await Store.FindAsync(EmailAddress.Parse("ann@example.com"), CancellationToken.None));
        Assert.Equal(0, await Queued());
    }

    [Fact]
    public async Task Signing_up_again_resends_the_confirmation_at_most_once_an_hour()
    {
        await SignUp("ann@example.com", Now);
        var again = await SignUp("ann@example.com", Now.AddMinutes(59), "daily");
        Assert.False(again.ConfirmationQueued);
        Assert.Equal("daily", again.Subscriber.Cadence);
        Assert.Equal(1, await Queued());

        var later = await SignUp("ann@example.com", Now.AddMinutes(61));
        Assert.True(later.ConfirmationQueued);
        Assert.Equal(Now.AddMinutes(61), later.Subscriber.ConfirmationSentAt);
        Assert.Equal(2, await Queued());
    }

    [Fact]
    public async Task Concurrent_sign_ups_for_one_address_make_one_subscriber_and_one_confirmation()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => Task.Run(() => SignUp("ann@example.com", Now))));
        Assert.Single(results.Select(r => r.Subscriber.Id).Distinct());
        Assert.Single(results, r => r.ConfirmationQueued);
        Assert.Equal(1, (await Store.CountAsync(CancellationToken.None)).Total);
        Assert.Equal(1, await Queued());
    }

    [Fact]
    public async Task Signing_up_while_active_changes_nothing_and_sends_nothing()
    {
        var id = (await SignUp("ann@example.com", Now, "daily", "ai")).Subscriber.Id;
        await Store.ConfirmAsync(id, Now, CancellationToken.None);
        var again = await SignUp("ann@example.com", Now.AddDays(1), "weekly");
        Assert.False(again.ConfirmationQueued);
        Assert.Equal((SubscriberStatus.Active, "daily"), (again.Subscriber.Status, again.Subscriber.Cadence));
        Assert.Equal(1, await Queued());
    }

    [Fact]
    public async Task Someone_who_left_can_sign_up_again_and_must_confirm_again()
    {
        var id = (await SignUp("ann@example.com", Now)).Subscriber.Id;
        await Store.ConfirmAsync(id, Now, CancellationToken.None);
        await Store.UnsubscribeAsync(id, Now.AddMinutes(5), CancellationToken.None);
        var back = await SignUp("ann@example.com", Now.AddMinutes(10));
        Assert.True(back.ConfirmationQueued);
        Assert.Equal((id, SubscriberStatus.Pending), (back.Subscriber.Id, back.Subscriber.Status));
    }

    [Fact]
    public async Task The_domain_is_case_insensitive_and_the_local_part_is_not()
    {
        await SignUp("Ann@Example.COM", Now);
        Assert.NotNull(await Store.FindAsync(EmailAddress.Parse("Ann@example.com"), CancellationToken.None));
        Assert.Null(await Store.FindAsync(EmailAddress.Parse("ann@example.com"), CancellationToken.None));
        Assert.False((await SignUp("Ann@EXAMPLE.com", Now.AddMinutes(1))).ConfirmationQueued);
        Assert.Equal(1, (await Store.CountAsync(CancellationToken.None)).Total);
    }

    [Fact]
    public async Task Confirm_unsubscribe_and_preferences_change_only_what_they_should()
    {
        var id = (await SignUp("ann@example.com", Now)).Subscriber.Id;
        var confirmed = await Store.ConfirmAsync(id, Now.AddHours(2), CancellationToken.None);
        Assert.Equal((SubscriberStatus.Active, Now.AddHours(2)), (confirmed!.Status, confirmed.ConfirmedAt));
        // Confirming twice keeps the first time.
        Assert.Equal(Now.AddHours(2), (await Store.ConfirmAsync(id, Now.AddHours(3), CancellationToken.None))!.ConfirmedAt);

        var changed = await Store.UpdatePreferencesAsync(id, ["evals", "rag"], "daily", CancellationToken.None);
        Assert.Equal((SubscriberStatus.Active, "daily"), (changed!.Status, changed.Cadence));
        Assert.Equal<string>(["evals", "rag"], changed.Tags);

        var left = await Store.UnsubscribeAsync(id, Now.AddDays(1), CancellationToken.None);
        Assert.Equal((SubscriberStatus.Unsubscribed, Now.AddDays(1)), (left!.Status, left.UnsubscribedAt));
        // A confirmation link clicked after leaving does not bring them back.
        Assert.Equal(SubscriberStatus.Unsubscribed, (await Store.ConfirmAsync(id, Now.AddDays(2), CancellationToken.None))!.Status);

        Assert.Null(await Store.ConfirmAsync(9999, Now, CancellationToken.None));
        Assert.Null(await Store.UnsubscribeAsync(9999, Now, CancellationToken.None));
        Assert.Null(await Store.UpdatePreferencesAsync(9999, [], "daily", CancellationToken.None));
    }

    [Fact]
    public async Task An_import_adds_new_addresses_leaves_known_ones_alone_and_queues_mail_only_for_pending()
    {
        var ann = (await SignUp("ann@example.com", Now, "daily")).Subscriber;
        var result = await Store.ImportAsync(
        [
            TestSubscriptions.Draft("ann@example.com", SubscriberStatus.Active, "weekly"),
            TestSubscriptions.Draft("bob@example.com"),
            TestSubscriptions.Draft("carol@example.com", SubscriberStatus.Active),
            TestSubscriptions.Draft("dave@example.com", SubscriberStatus.Unsubscribed),
        ], Now, Mail, null, CancellationToken.None);

        Assert.Equal(new ImportResult(3, 1, 1), result);
        Assert.Equal(ann, await Store.FindAsync(ann.Id, CancellationToken.None));
        var carol = await Store.FindAsync(EmailAddress.Parse("carol@example.com"), CancellationToken.None);
        Assert.Equal((SubscriberStatus.Active, Now), (carol!.Status, carol.ConfirmedAt));
        Assert.Equal(SubscriberStatus.Unsubscribed, (await Store.FindAsync(EmailAddress.Parse("dave@example.com"), CancellationToken.None))!.Status);
        Assert.Equal(2, await Queued());
    }

    [Fact]
    public async Task An_import_that_fails_part_way_leaves_nothing_behind()
    {
        var count = 0;
        await Assert.ThrowsAsync<InvalidOperationException>(() => Store.ImportAsync(
            [.. Enumerable.Range(0, 10).Select(i => TestSubscriptions.Draft($"user{i}@example.com"))], Now,
            s => ++count == 7 ? throw new InvalidOperationException("disk full") : Mail(s), null, CancellationToken.None));
        Assert.Equal(0, (await Store.CountAsync(CancellationToken.None)).Total);
        Assert.Equal(0, await Queued());
    }

    [Fact]
    public async Task Forget_erases_the_subscriber_and_their_queued_mail()
    {
        var ann = (await SignUp("ann@example.com", Now)).Subscriber;
        await SignUp("bob@example.com", Now);
        Assert.True(await Store.ForgetAsync(EmailAddress.Parse("ann@example.com"), CancellationToken.None));
        Assert.Null(await Store.FindAsync(ann.Id, CancellationToken.None));
        Assert.Equal(1, await Queued());
        Assert.False(await Store.ForgetAsync(EmailAddress.Parse("ann@example.com"), CancellationToken.None));

        // A new sign-up after forgetting is a new subscriber: old links name nobody.
        var again = (await SignUp("ann@example.com", Now.AddDays(1))).Subscriber;
        Assert.NotEqual(ann.Id, again.Id);
    }

    [Fact]
    public async Task Listing_streams_every_subscriber_in_id_order_across_pages()
    {
        await Store.ImportAsync([.. Enumerable.Range(0, 1203).Select(i => TestSubscriptions.Draft($"user{i:D4}@example.com", SubscriberStatus.Active))],
            Now, null, null, CancellationToken.None);
        var ids = new List<long>();
        await foreach (var s in Store.ListAsync(CancellationToken.None)) ids.Add(s.Id);
        Assert.Equal(1203, ids.Count);
        Assert.Equal(ids.Order(), ids);
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.Equal(new SubscriberCounts(0, 1203, 0, 0), await Store.CountAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Import_reports_progress()
    {
        var seen = new List<int>();
        await Store.ImportAsync([.. Enumerable.Range(0, 250).Select(i => TestSubscriptions.Draft($"u{i}@example.com"))], Now, null,
            new SynchronousProgress(seen.Add), CancellationToken.None);
        Assert.Equal([100, 200, 250], seen);
    }

    private sealed class SynchronousProgress(Action<int> report) : IProgress<int>
    {
        public void Report(int value) => report(value);
    }
}
