using System.Text;
using Blog.Mail;
using Blog.Storage;
using Blog.MailingList;
using Blog.Subscriptions;
using Microsoft.Extensions.Options;

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
        await Store.ConfirmAsync(id, Now, null, CancellationToken.None);
        var again = await SignUp("ann@example.com", Now.AddDays(1), "weekly");
        Assert.False(again.ConfirmationQueued);
        Assert.Equal((SubscriberStatus.Active, "daily"), (again.Subscriber.Status, again.Subscriber.Cadence));
        Assert.Equal(1, await Queued());
    }

    [Fact]
    public async Task Someone_who_left_can_sign_up_again_and_must_confirm_again()
    {
        var id = (await SignUp("ann@example.com", Now)).Subscriber.Id;
        await Store.ConfirmAsync(id, Now, null, CancellationToken.None);
        await Store.UnsubscribeAsync(id, Now.AddMinutes(5), CancellationToken.None);
        var back = await SignUp("ann@example.com", Now.AddMinutes(10));
        Assert.True(back.ConfirmationQueued);
        Assert.Equal((id, SubscriberStatus.Pending), (back.Subscriber.Id, back.Subscriber.Status));
    }

    [Fact]
    public async Task Addresses_that_differ_only_in_case_are_one_subscriber_kept_as_first_given()
    {
        var ann = (await SignUp("Ann@Example.COM", Now)).Subscriber;
        Assert.Equal("Ann@example.com", ann.Address);
        Assert.Equal(ann, await Store.FindAsync(EmailAddress.Parse("ann@example.com"), CancellationToken.None));
        Assert.Equal(ann.Id, (await Store.FindAsync(EmailAddress.Parse("ANN@EXAMPLE.COM"), CancellationToken.None))?.Id);
        var again = await SignUp("ANN@example.com", Now.AddMinutes(1));
        Assert.False(again.ConfirmationQueued);
        Assert.Equal((ann.Id, "Ann@example.com"), (again.Subscriber.Id, again.Subscriber.Address));

        // An import, a list that repeats one address in two cases included, adds each person once.
        var imported = await Store.ImportAsync(
            [TestSubscriptions.Draft("aNN@example.com", SubscriberStatus.Active), TestSubscriptions.Draft("Bob@example.com"), TestSubscriptions.Draft("BOB@example.com")],
            Now, null, null, CancellationToken.None);
        Assert.Equal(new ImportResult(1, 2, 0), imported);
        Assert.Equal(2, (await Store.CountAsync(CancellationToken.None)).Total);
        Assert.Equal("Bob@example.com", (await Store.FindAsync(EmailAddress.Parse("bob@example.com"), CancellationToken.None))!.Address);

        Assert.True(await Store.ForgetAsync(EmailAddress.Parse("ANN@example.com"), CancellationToken.None));
        Assert.Null(await Store.FindAsync(ann.Id, CancellationToken.None));
        Assert.Equal(0, await Queued());
    }

    /// <summary>A database made by an older blog, at <paramref name="version"/>, with <paramref name="seed"/> run on it; the stores upgrade it on first use.</summary>
    protected abstract Task<(StoreUnderTest Stores, Database Database)> CreateAtSchemaAsync(int version, string seed);

    [Fact]
    public async Task The_upgrade_merges_case_duplicates_into_the_earliest_with_the_most_restrictive_status_and_latest_watermark()
    {
        var (stores, database) = await CreateAtSchemaAsync(3, """
            INSERT INTO subscribers (id, address, status, tags, cadence, created_at, confirmed_at, unsubscribed_at, watermark)
            VALUES (1, 'user7@example.com', 'active', 'ai', 'weekly', 100, 150, NULL, 1000),
                   (2, 'carol@example.com', 'active', '', 'daily', 200, 250, NULL, 1000),
                   (3, 'USER7@example.com', 'unsubscribed', '', 'daily', 300, 350, 5000, 3000),
                   (4, 'User7@example.com', 'active', '', 'daily', 400, 450, NULL, 2000),
                   (5, 'Bob@example.com', 'pending', 'evals', 'daily', 500, NULL, NULL, NULL),
                   (6, 'bob@example.com', 'active', '', 'weekly', 600, 650, NULL, 4000),
                   (7, 'ÜNÏ@Example.com', 'bounced', '', 'weekly', 700, NULL, NULL, NULL);
            INSERT INTO mail_outbox (subscriber_id, recipient, message_id, purpose, mime, next_attempt_at, created_at)
            VALUES (4, 'User7@example.com', 'm4@test', 'confirm', X'00', 0, 0), (1, 'user7@example.com', 'm1@test', 'confirm', X'00', 0, 0);
            INSERT INTO digest_runs (key, cadence, created_at) VALUES ('weekly/1', 'weekly', 0);
            INSERT INTO deliveries (run_key, subscriber_id, status, posts, message_id, next_attempt_at)
            VALUES ('weekly/1', 1, 'sent', '', 'd1@test', 0), ('weekly/1', 3, 'sent', '', 'd3@test', 0);
            """);
        using var cleanup = stores.Cleanup;
        var store = stores.Store;
        Assert.Equal(new SubscriberCounts(0, 2, 1, 1), await store.CountAsync(CancellationToken.None));
        // Both databases fold a key exactly as the program does, even for text no address could hold.
        Assert.Equal(EmailAddress.KeyOf("ÜNÏ@Example.com"), await TextAsync(database, "SELECT address_key FROM subscribers WHERE id = 7"));

        var user7 = (await store.FindAsync(EmailAddress.Parse("USER7@example.com"), CancellationToken.None))!;
        Assert.Equal((1L, "user7@example.com", SubscriberStatus.Unsubscribed), (user7.Id, user7.Address, user7.Status));
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(5000), user7.UnsubscribedAt);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(3000), user7.Watermark);
        Assert.Equal<string>(["ai"], user7.Tags);

        // Pending and active: a confirmation under either spelling is consent, and the earliest row keeps its choices.
        var bob = (await store.FindAsync(EmailAddress.Parse("bob@example.com"), CancellationToken.None))!;
        Assert.Equal((5L, "Bob@example.com", SubscriberStatus.Active, "daily"), (bob.Id, bob.Address, bob.Status, bob.Cadence));
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(650), bob.ConfirmedAt);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(4000), bob.Watermark);

        // A link already mailed to a merged-away row still reaches the person, now under the kept id.
        Assert.Equal(1L, (await store.FindAsync(3, CancellationToken.None))?.Id);
        Assert.Equal(5L, (await store.UpdatePreferencesAsync(6, ["ai"], "weekly", CancellationToken.None))?.Id);
        Assert.Equal("weekly", (await store.FindAsync(5, CancellationToken.None))!.Cadence);

        // The merged-away rows' queued mail and history went with them; the kept row's stayed.
        Assert.Equal(1, (await stores.Outbox.CountAsync(CancellationToken.None)).Pending);
        Assert.Equal(1L, await ScalarAsync(database, "SELECT COUNT(*) FROM deliveries"));
        Assert.Equal(
            ["user7@example.com (id 1) absorbed USER7@example.com (id 3), User7@example.com (id 4)", "Bob@example.com (id 5) absorbed bob@example.com (id 6)"],
            database.CaseMerges.Select(m => m.ToString()));
    }

    [Fact]
    public async Task The_upgrade_to_version_7_keeps_every_subscriber_and_what_points_at_them_and_allows_complained()
    {
        var (stores, database) = await CreateAtSchemaAsync(6, """
            INSERT INTO subscribers (address, address_key, link_key, status, tags, cadence, created_at, confirmed_at, confirmation_sent_at,
                                     unsubscribed_at, watermark, bounces)
            VALUES ('Ann@example.com', 'ann@example.com', 'key-1', 'active', 'ai evals', 'weekly', 100, 150, 120, NULL, 1000, 1),
                   ('bob@example.com', 'bob@example.com', NULL, 'unsubscribed', '', 'daily', 200, 250, NULL, 300, NULL, 0),
                   ('carol@example.com', 'carol@example.com', 'key-3', 'pending', '', 'weekly', 500, NULL, 510, NULL, NULL, 0);
            INSERT INTO subscriber_merges (id, into_id) VALUES (99, 1);
            INSERT INTO mail_outbox (subscriber_id, recipient, message_id, purpose, mime, next_attempt_at, created_at)
            VALUES (3, 'carol@example.com', 'm3@test', 'confirm', X'00', 0, 0);
            INSERT INTO digest_runs (key, cadence, created_at, planned_at) VALUES ('weekly/1', 'weekly', 0, 0);
            INSERT INTO deliveries (run_key, subscriber_id, status, posts, message_id, next_attempt_at)
            VALUES ('weekly/1', 1, 'sent', 'p1', 'd1@test', 0), ('weekly/1', 2, 'sent', 'p1', 'd2@test', 0);
            """);
        using var cleanup = stores.Cleanup;
        var store = stores.Store;
        var ann = (await store.FindAsync(99, CancellationToken.None))!;
        Assert.Equal(new Subscriber(1, "Ann@example.com", SubscriberStatus.Active, ["ai", "evals"], "weekly", DateTimeOffset.FromUnixTimeMilliseconds(100),
            DateTimeOffset.FromUnixTimeMilliseconds(150), DateTimeOffset.FromUnixTimeMilliseconds(120), null, DateTimeOffset.FromUnixTimeMilliseconds(1000), 1, "key-1"), ann);
        Assert.Equal(new SubscriberCounts(1, 1, 1, 0, 0), await store.CountAsync(CancellationToken.None));
        Assert.Equal(1, (await stores.Outbox.CountAsync(CancellationToken.None)).Pending);

        // The new status is allowed, through the feedback store that sets it, and counted.
        var complaint = await stores.Feedback.RecordAsync(new Blog.Feedback.FeedbackEvent("arf-1", Blog.Feedback.FeedbackKind.Complaint, "imap", Now,
            new Blog.Feedback.FeedbackTarget(MessageId: "<d1@test>") { Trusted = true }, ""), new Blog.Feedback.FeedbackRules(5, 5, TimeSpan.FromDays(14)), CancellationToken.None);
        Assert.Equal((1L, "weekly/1", SubscriberStatus.Complained), (complaint.Subscriber!.Id, complaint.RunKey, complaint.Subscriber.Status));
        Assert.Equal(new SubscriberCounts(1, 0, 1, 0, 1), await store.CountAsync(CancellationToken.None));

        // Still one row per address, and the rows that point at subscribers still point at them: erasing cascades.
        Assert.Equal(new ImportResult(1, 1, 0), await store.ImportAsync([TestSubscriptions.Draft("ANN@example.com"), TestSubscriptions.Draft("dave@example.com")],
            Now, null, null, CancellationToken.None));
        Assert.Equal(4L, (await store.FindAsync(EmailAddress.Parse("dave@example.com"), CancellationToken.None))!.Id);
        await ExecuteAsync(database, "DELETE FROM subscribers WHERE id = 1");
        Assert.Equal(1L, await ScalarAsync(database, "SELECT COUNT(*) FROM deliveries"));
        Assert.Equal(0L, await ScalarAsync(database, "SELECT COUNT(*) FROM subscriber_merges"));
        Assert.Equal(0L, await ScalarAsync(database, "SELECT COUNT(*) FROM subscriber_events"));
        await ExecuteAsync(database, "DELETE FROM subscribers WHERE id = 3");
        Assert.Equal(0, (await stores.Outbox.CountAsync(CancellationToken.None)).Pending);
    }

    private static async Task<long> ScalarAsync(Database database, string sql)
    {
        await using var connection = await database.OpenAsync(CancellationToken.None);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task<string?> TextAsync(Database database, string sql)
    {
        await using var connection = await database.OpenAsync(CancellationToken.None);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (string?)await command.ExecuteScalarAsync();
    }

    private static async Task ExecuteAsync(Database database, string sql)
    {
        await using var connection = await database.OpenAsync(CancellationToken.None);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    private static SubscriberTokens Tokens() => new(new SigningKey(
        Options.Create(new SubscriptionOptions { SigningKey = Convert.ToBase64String(new byte[32]) }), Options.Create(new Blog.Storage.StorageOptions())));

    [Fact]
    public async Task Links_mailed_before_the_upgrade_keep_working()
    {
        var (stores, _) = await CreateAtSchemaAsync(3, """
            INSERT INTO subscribers (id, address, status, tags, cadence, created_at, confirmed_at, unsubscribed_at, watermark)
            VALUES (1, 'old@example.com', 'pending', '', 'weekly', 100, NULL, NULL, NULL);
            """);
        using var cleanup = stores.Cleanup;
        var tokens = Tokens();
        var check = await tokens.CheckAsync(tokens.Preferences(1), TokenPurpose.Preferences, Now, stores.Store, CancellationToken.None);
        Assert.Equal(TokenCheck.Valid(1) with { Subscriber = await stores.Store.FindAsync(1, CancellationToken.None) }, check);
        Assert.True((await tokens.CheckAsync(tokens.Confirm(1, Now.AddHours(1)), TokenPurpose.Confirm, Now, stores.Store, CancellationToken.None)).IsValid);
        Assert.True((await tokens.CheckAsync(tokens.Unsubscribe(1), TokenPurpose.Unsubscribe, Now, stores.Store, CancellationToken.None)).IsValid);
        Assert.Null((await stores.Store.FindAsync(1, CancellationToken.None))!.LinkKey);
    }

    [Fact]
    public async Task A_new_subscriber_gets_links_that_reach_them_and_no_one_else()
    {
        var (stores, database) = await CreateAtSchemaAsync(int.MaxValue, "");
        using var cleanup = stores.Cleanup;
        var tokens = Tokens();
        var ann = (await stores.Store.SignUpAsync(TestSubscriptions.Draft("ann@example.com"), Now, Hour, Mail, CancellationToken.None)).Subscriber;
        Assert.NotNull(ann.LinkKey);
        Assert.Equal(TokenCheck.Valid(ann.Id) with { Subscriber = ann }, await tokens.CheckAsync(tokens.Unsubscribe(ann), TokenPurpose.Unsubscribe, Now, stores.Store, CancellationToken.None));
        Assert.True((await tokens.CheckAsync(tokens.Preferences(ann), TokenPurpose.Preferences, Now, stores.Store, CancellationToken.None)).IsValid);
        Assert.True((await tokens.CheckAsync(tokens.Confirm(ann, Now.AddHours(1)), TokenPurpose.Confirm, Now, stores.Store, CancellationToken.None)).IsValid);
        // A token without the subscriber's key (the old form, for whoever had this id before) is refused.
        Assert.False((await tokens.CheckAsync(tokens.Unsubscribe(ann.Id), TokenPurpose.Unsubscribe, Now, stores.Store, CancellationToken.None)).IsValid);

        // Ann is forgotten and, somehow, her id is given to Bob: her links must not act on him.
        var link = tokens.Unsubscribe(ann);
        Assert.True(await stores.Store.ForgetAsync(EmailAddress.Parse("ann@example.com"), CancellationToken.None));
        await stores.Store.ImportAsync([TestSubscriptions.Draft("bob@example.com", SubscriberStatus.Active)], Now, null, null, CancellationToken.None);
        await ExecuteAsync(database, $"UPDATE subscribers SET id = {ann.Id} WHERE address = 'bob@example.com'");
        Assert.Equal("bob@example.com", (await stores.Store.FindAsync(ann.Id, CancellationToken.None))!.Address);
        Assert.False((await tokens.CheckAsync(link, TokenPurpose.Unsubscribe, Now, stores.Store, CancellationToken.None)).IsValid);
        Assert.False((await tokens.CheckAsync(tokens.Unsubscribe(ann.Id), TokenPurpose.Unsubscribe, Now, stores.Store, CancellationToken.None)).IsValid);
    }

    [Fact]
    public async Task Confirm_unsubscribe_and_preferences_change_only_what_they_should()
    {
        var id = (await SignUp("ann@example.com", Now)).Subscriber.Id;
        var confirmed = await Store.ConfirmAsync(id, Now.AddHours(2), null, CancellationToken.None);
        Assert.Equal((SubscriberStatus.Active, Now.AddHours(2)), (confirmed!.Status, confirmed.ConfirmedAt));
        // Confirming twice keeps the first time.
        Assert.Equal(Now.AddHours(2), (await Store.ConfirmAsync(id, Now.AddHours(3), null, CancellationToken.None))!.ConfirmedAt);

        var changed = await Store.UpdatePreferencesAsync(id, ["evals", "rag"], "daily", CancellationToken.None);
        Assert.Equal((SubscriberStatus.Active, "daily"), (changed!.Status, changed.Cadence));
        Assert.Equal<string>(["evals", "rag"], changed.Tags);

        var left = await Store.UnsubscribeAsync(id, Now.AddDays(1), CancellationToken.None);
        Assert.Equal((SubscriberStatus.Unsubscribed, Now.AddDays(1)), (left!.Status, left.UnsubscribedAt));
        // A confirmation link clicked after leaving does not bring them back.
        Assert.Equal(SubscriberStatus.Unsubscribed, (await Store.ConfirmAsync(id, Now.AddDays(2), null, CancellationToken.None))!.Status);

        Assert.Null(await Store.ConfirmAsync(9999, Now, null, CancellationToken.None));
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

    private async Task ComplainAsync(long id, DateTimeOffset at) =>
        await Feedback.RecordAsync(new Blog.Feedback.FeedbackEvent($"arf-{id}-{at.ToUnixTimeMilliseconds()}", Blog.Feedback.FeedbackKind.Complaint, "imap", at,
            new Blog.Feedback.FeedbackTarget(id), ""), new Blog.Feedback.FeedbackRules(3, 5, TimeSpan.FromDays(14)), CancellationToken.None);

    [Fact]
    public async Task A_complained_address_is_left_alone_by_imports_and_only_its_own_confirmed_sign_up_brings_it_back()
    {
        var ann = (await SignUp("ann@example.com", Now)).Subscriber;
        await Store.ConfirmAsync(ann.Id, Now, null, CancellationToken.None);
        await ComplainAsync(ann.Id, Now.AddDays(1));
        Assert.Equal(new ImportResult(0, 1, 0), await Store.ImportAsync([TestSubscriptions.Draft("ANN@example.com", SubscriberStatus.Active)], Now.AddDays(2), Mail, null,
            CancellationToken.None));
        Assert.Equal(SubscriberStatus.Complained, (await Store.FindAsync(ann.Id, CancellationToken.None))!.Status);

        var again = await SignUp("ann@example.com", Now.AddDays(3));
        Assert.True(again.ConfirmationQueued);
        Assert.Equal((ann.Id, SubscriberStatus.Pending), (again.Subscriber.Id, again.Subscriber.Status));
        Assert.Equal(SubscriberStatus.Active, (await Store.ConfirmAsync(ann.Id, Now.AddDays(3), null, CancellationToken.None))!.Status);
    }

    [Fact]
    public async Task Forgetting_a_complained_address_keeps_a_keyed_hash_that_imports_respect_until_a_confirmed_sign_up()
    {
        var ann = (await SignUp("ann@example.com", Now)).Subscriber;
        await ComplainAsync(ann.Id, Now);
        await SignUp("bob@example.com", Now);
        Assert.True(await Store.ForgetAsync(EmailAddress.Parse("ann@example.com"), CancellationToken.None));
        Assert.True(await Store.ForgetAsync(EmailAddress.Parse("bob@example.com"), CancellationToken.None));
        // One suppression (bob never complained), and nothing in it names ann.
        Assert.Equal(1L, await ScalarAsync(Database, "SELECT COUNT(*) FROM suppressions"));
        Assert.Equal(0L, await ScalarAsync(Database, "SELECT COUNT(*) FROM suppressions WHERE address_hash LIKE '%ann%' OR reason LIKE '%ann%'"));

        var drafts = new[] { TestSubscriptions.Draft("Ann@Example.com"), TestSubscriptions.Draft("bob@example.com") };
        Assert.Equal(new ImportResult(1, 0, 1) { Suppressed = 1 }, await Store.ImportAsync(drafts, Now.AddDays(1), Mail, null, CancellationToken.None));
        Assert.Null(await Store.FindAsync(EmailAddress.Parse("ann@example.com"), CancellationToken.None));

        // Her own sign-up, once she confirms it, lifts it: forgotten again (no complaint), she is an address like any other.
        var back = (await SignUp("ann@example.com", Now.AddDays(2))).Subscriber;
        Assert.Equal(1L, await ScalarAsync(Database, "SELECT COUNT(*) FROM suppressions"));
        await Store.ConfirmAsync(back.Id, Now.AddDays(2), null, CancellationToken.None);
        Assert.Equal(0L, await ScalarAsync(Database, "SELECT COUNT(*) FROM suppressions"));
        Assert.True(await Store.ForgetAsync(EmailAddress.Parse("ann@example.com"), CancellationToken.None));
        Assert.Equal(1, (await Store.ImportAsync([TestSubscriptions.Draft("ann@example.com")], Now.AddDays(3), null, null, CancellationToken.None)).Added);
    }

    [Fact]
    public async Task Forgetting_one_who_complained_and_then_signed_up_unconfirmed_still_keeps_the_suppression()
    {
        var ann = (await SignUp("ann@example.com", Now)).Subscriber;
        await Store.ConfirmAsync(ann.Id, Now, null, CancellationToken.None);
        await ComplainAsync(ann.Id, Now.AddDays(1));
        // Anyone can type her address into the form: pending, not yet her own double opt-in.
        Assert.Equal(SubscriberStatus.Pending, (await SignUp("ann@example.com", Now.AddDays(2))).Subscriber.Status);
        Assert.True(await Store.ForgetAsync(EmailAddress.Parse("ann@example.com"), CancellationToken.None));
        Assert.Equal(1L, await ScalarAsync(Database, "SELECT COUNT(*) FROM suppressions"));
        Assert.Equal(new ImportResult(0, 0, 0) { Suppressed = 1 },
            await Store.ImportAsync([TestSubscriptions.Draft("ann@example.com", SubscriberStatus.Active)], Now.AddDays(3), Mail, null, CancellationToken.None));
        Assert.Null(await Store.FindAsync(EmailAddress.Parse("ann@example.com"), CancellationToken.None));
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
