using System.Net;
using Blog.Cli;
using Blog.Mail;
using Blog.Storage;
using Blog.MailingList;
using Blog.Subscriptions;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Blog.Tests.Subscriptions;

/// <summary>
/// The sign-up form answers at once and stores the sign-up after, so how long the answer takes cannot tell whether an
/// address is on the list. The store is held shut by a gate to show the answer does not wait for it.
/// </summary>
public sealed class SignUpBacklogTests
{
    [Fact]
    public async Task New_pending_active_and_unsubscribed_addresses_get_the_same_answer_before_anything_is_stored()
    {
        using var folder = new TempFolder();
        await using var blog = await GatedBlog.StartAsync(folder);
        var store = blog.Store.Inner;
        var now = DateTimeOffset.UtcNow;
        await store.ImportAsync([TestSubscriptions.Draft("pend@example.com"), TestSubscriptions.Draft("actv@example.com", SubscriberStatus.Active),
            TestSubscriptions.Draft("left@example.com", SubscriberStatus.Active)], now, null, null, CancellationToken.None);
        var left = (await store.FindAsync(EmailAddress.Parse("left@example.com"), CancellationToken.None))!;
        await store.UnsubscribeAsync(left.Id, now, CancellationToken.None);
        var active = await store.FindAsync(EmailAddress.Parse("actv@example.com"), CancellationToken.None);

        // The gate is shut: had the answer waited for the store, none would arrive.
        var answers = new List<(string Address, HttpStatusCode Status, string Headers, string Body)>();
        foreach (var address in new[] { "newb@example.com", "pend@example.com", "actv@example.com", "left@example.com" })
        {
            using var form = new FormUrlEncodedContent([KeyValuePair.Create("email", address), KeyValuePair.Create("cadence", "daily")]);
            using var response = await blog.Client.PostAsync("subscribe", form);
            var headers = string.Join("\n", response.Headers.Concat(response.Content.Headers).Where(h => h.Key != "Date")
                .OrderBy(h => h.Key, StringComparer.Ordinal).Select(h => $"{h.Key}: {string.Join(",", h.Value)}"));
            answers.Add((address, response.StatusCode, headers, (await response.Content.ReadAsStringAsync()).Replace(address, "ADDRESS", StringComparison.Ordinal)));
        }
        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.Status));
        Assert.Single(answers.Select(a => (a.Status, a.Headers, a.Body)).Distinct());
        Assert.Contains("Check your inbox", answers[0].Body, StringComparison.Ordinal);
        Assert.Null(await store.FindAsync(EmailAddress.Parse("newb@example.com"), CancellationToken.None));

        blog.Store.Open();
        await blog.Backlog.WhenIdleAsync(CancellationToken.None);
        Assert.Equal(SubscriberStatus.Pending, (await store.FindAsync(EmailAddress.Parse("newb@example.com"), CancellationToken.None))!.Status);
        Assert.Equal(SubscriberStatus.Pending, (await store.FindAsync(EmailAddress.Parse("left@example.com"), CancellationToken.None))!.Status);
        Assert.Equal(active, await store.FindAsync(EmailAddress.Parse("actv@example.com"), CancellationToken.None));
        await blog.Mail.WaitForAsync("newb@example.com");
        await blog.Mail.WaitForAsync("left@example.com");
    }

    [Fact]
    public async Task Sign_ups_answered_before_a_clean_shutdown_are_stored_by_it()
    {
        using var folder = new TempFolder();
        await using var blog = await GatedBlog.StartAsync(folder);
        foreach (var address in new[] { "first@example.com", "second@example.com" })
        {
            using var form = new FormUrlEncodedContent([KeyValuePair.Create("email", address)]);
            using var response = await blog.Client.PostAsync("subscribe", form);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var stopping = blog.App.StopAsync();
        await blog.Backlog.Closed;
        blog.Store.Open();
        await stopping;
        Assert.Equal(2, (await blog.Store.Inner.CountAsync(CancellationToken.None)).Pending);
    }

    [Fact]
    public async Task A_full_queue_answers_503_with_Retry_After_instead_of_growing()
    {
        using var folder = new TempFolder();
        await using var blog = await GatedBlog.StartAsync(folder, "--Subscriptions:SignUpBacklog=1");
        var codes = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            using var form = new FormUrlEncodedContent([KeyValuePair.Create("email", $"queued{i}@example.com")]);
            using var response = await blog.Client.PostAsync("subscribe", form);
            codes.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
            {
                Assert.Equal(TimeSpan.FromSeconds(60), response.Headers.RetryAfter?.Delta);
                Assert.Contains("Please wait a minute and try again.", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            }
            // The first is taken out of the queue to be stored (and held at the gate); the second then fills it.
            if (i == 0) await blog.Store.Entered;
        }
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.ServiceUnavailable], codes);
        blog.Store.Open();
        await blog.Backlog.WhenIdleAsync(CancellationToken.None);
        Assert.Equal(2, (await blog.Store.Inner.CountAsync(CancellationToken.None)).Pending);
    }

    [Fact]
    public async Task A_sign_up_taken_while_the_database_is_down_is_stored_once_it_is_back_and_new_ones_get_503_meanwhile()
    {
        using var folder = new TempFolder();
        await using var blog = await GatedBlog.StartAsync(folder);
        blog.Store.Open();
        var failed = blog.Store.FailNext(2);
        using (var form = new FormUrlEncodedContent([KeyValuePair.Create("email", "early@example.com")]))
        using (var response = await blog.Client.PostAsync("subscribe", form))
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        // The worker found the database down: the form says so to everyone alike, rather than promising a mail.
        await failed.WaitAsync(TimeSpan.FromSeconds(60));
        using (var form = new FormUrlEncodedContent([KeyValuePair.Create("email", "meanwhile@example.com")]))
        using (var response = await blog.Client.PostAsync("subscribe", form))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.NotNull(response.Headers.RetryAfter);
        }

        // Back: the sign-up it had taken is stored (and confirmed by mail), not dropped.
        await blog.Backlog.WhenIdleAsync(CancellationToken.None);
        Assert.Equal(SubscriberStatus.Pending, (await blog.Store.Inner.FindAsync(EmailAddress.Parse("early@example.com"), CancellationToken.None))!.Status);
        Assert.Null(await blog.Store.Inner.FindAsync(EmailAddress.Parse("meanwhile@example.com"), CancellationToken.None));
        await blog.Mail.WaitForAsync("early@example.com");
        using (var form = new FormUrlEncodedContent([KeyValuePair.Create("email", "later@example.com")]))
        using (var response = await blog.Client.PostAsync("subscribe", form))
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>The service with its subscriber store behind a gate that holds every sign-up until opened.</summary>
    private sealed class GatedBlog : IAsyncDisposable
    {
        private GatedBlog(WebApplication app, Uri address, GatedStore store)
        {
            App = app;
            Store = store;
            // Long enough for a slow machine; short enough that an answer held by the gate fails the test, not the run.
            Client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
        }

        public WebApplication App { get; }

        public GatedStore Store { get; }

        public HttpClient Client { get; }

        public SignUpBacklog Backlog => App.Services.GetRequiredService<SignUpBacklog>();

        public PickupMail Mail => new(Path.Combine(App.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<StorageOptions>>().Value.DataPath, "mail"));

        public static async Task<GatedBlog> StartAsync(TempFolder folder, params string[] settings)
        {
            var app = BlogCli.CreateService(["run", "--content", Path.Combine(TestSite.RepositoryRoot(), "content", "posts"), "--out", folder.Combine("out"),
                "--data", folder.Combine("data"), "--urls", LoopbackPort.AnyUrl, "--Logging:LogLevel:Default=Warning",
                "--Mail:PollInterval=00:00:00.200", .. settings], services =>
                {
                    services.AddSingleton<SqlSubscriberStore>();
                    services.AddSingleton<GatedStore>(sp => new GatedStore(sp.GetRequiredService<SqlSubscriberStore>()));
                    services.AddSingleton<ISubscriberStore>(sp => sp.GetRequiredService<GatedStore>());
                });
            await app.StartAsync();
            return new GatedBlog(app, LoopbackPort.BoundUri(app), app.Services.GetRequiredService<GatedStore>());
        }

        public async ValueTask DisposeAsync()
        {
            Store.Open();
            Client.Dispose();
            await App.StopAsync();
            await App.DisposeAsync();
        }
    }

    /// <summary>The real store, except that a sign-up waits until <see cref="Open"/>.</summary>
    private sealed class GatedStore(SqlSubscriberStore inner) : ISubscriberStore
    {
        private readonly TaskCompletionSource gate = new(TaskCreationOptions.RunContinuationsAsynchronously);

        private readonly TaskCompletionSource entered = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public SqlSubscriberStore Inner => inner;

        /// <summary>Done when a sign-up has reached the store.</summary>
        public Task Entered => entered.Task;

        public void Open() => gate.TrySetResult();

        private int failures;
        private TaskCompletionSource<bool> failedAll = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>The next <paramref name="count"/> sign-ups fail as an unreachable database does; done when they have.</summary>
        public Task<bool> FailNext(int count)
        {
            failedAll = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            Volatile.Write(ref failures, count);
            return failedAll.Task;
        }

        public async Task<SignUpResult> SignUpAsync(SubscriberDraft draft, DateTimeOffset now, TimeSpan resendAfter,
            Func<Subscriber, QueuedMail> confirmation, CancellationToken cancellationToken)
        {
            entered.TrySetResult();
            await gate.Task.WaitAsync(cancellationToken);
            if (Volatile.Read(ref failures) > 0)
            {
                if (Interlocked.Decrement(ref failures) == 0) failedAll.TrySetResult(true);
                throw new DatabaseUnreachableException("cannot use the database: unreachable (test)");
            }
            return await inner.SignUpAsync(draft, now, resendAfter, confirmation, cancellationToken);
        }

        public Task<Subscriber?> FindAsync(long id, CancellationToken cancellationToken) => inner.FindAsync(id, cancellationToken);

        public Task<Subscriber?> FindAsync(EmailAddress address, CancellationToken cancellationToken) => inner.FindAsync(address, cancellationToken);

        public Task<ImportResult> ImportAsync(IReadOnlyList<SubscriberDraft> drafts, DateTimeOffset now, Func<Subscriber, QueuedMail>? confirmation,
            IProgress<int>? progress, CancellationToken cancellationToken) => inner.ImportAsync(drafts, now, confirmation, progress, cancellationToken);

        public Task<Subscriber?> ConfirmAsync(long id, DateTimeOffset now, Func<Subscriber, QueuedMail>? welcome, CancellationToken cancellationToken) =>
            inner.ConfirmAsync(id, now, welcome, cancellationToken);

        public Task<Subscriber?> UnsubscribeAsync(long id, DateTimeOffset now, CancellationToken cancellationToken) => inner.UnsubscribeAsync(id, now, cancellationToken);

        public Task<Subscriber?> UpdatePreferencesAsync(long id, ImmutableArray<string> tags, string cadence, CancellationToken cancellationToken) =>
            inner.UpdatePreferencesAsync(id, tags, cadence, cancellationToken);

        public Task<bool> ForgetAsync(EmailAddress address, CancellationToken cancellationToken) => inner.ForgetAsync(address, cancellationToken);

        public IAsyncEnumerable<Subscriber> ListAsync(CancellationToken cancellationToken) => inner.ListAsync(cancellationToken);

        public Task<SubscriberCounts> CountAsync(CancellationToken cancellationToken) => inner.CountAsync(cancellationToken);
    }
}
