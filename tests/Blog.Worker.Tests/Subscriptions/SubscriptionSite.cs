using System.Net;
using System.Text.RegularExpressions;
using Blog.MailingList;

namespace Blog.Tests.Subscriptions;

/// <summary>One running service on the sample blog for a test class; each test uses addresses of its own.</summary>
public sealed class SubscriptionSite : IAsyncLifetime
{
    private readonly TempFolder folder = new();

    public RunningBlog Blog { get; private set; } = null!;

    public async Task InitializeAsync() =>
        Blog = await RunningBlog.StartAsync(Path.Combine(TestSite.RepositoryRoot(), "content", "posts"), folder.Combine("out"), selfLinked: true,
            "--Subscriptions:SignUpLimit=10000", "--Subscriptions:SignUpsPerMinute=10000", "--Mail:PollInterval=00:00:00.200",
            // These tests count the mail an address gets; the welcome a confirmation adds has tests of its own (WelcomeMailTests).
            "--Subscriptions:Welcome=false");

    public async Task DisposeAsync()
    {
        await Blog.DisposeAsync();
        folder.Dispose();
    }

    public ISubscriberStore Store => Blog.Service<ISubscriberStore>();

    public Task<Subscriber?> FindAsync(string address) => Store.FindAsync(EmailAddress.Parse(address), CancellationToken.None);

    /// <summary>Until every sign-up answered so far is stored: the form answers first and stores after.</summary>
    public Task SettledAsync() => Blog.Service<Blog.Subscriptions.SignUpBacklog>().WhenIdleAsync(CancellationToken.None);

    private int markers;

    /// <summary>
    /// Until everything the service was asked before has been done, shown by something it did after: a marker sign-up
    /// posted now is stored after every sign-up already answered (the backlog is first in, first out, one worker), and
    /// its confirmation leaves the outbox after every mail they queued (claimed in order). So its mail arriving is the
    /// signal that a mail that was going to be sent has been, and an absence checked after it means something.
    /// </summary>
    public async Task QuietAsync()
    {
        var marker = $"marker{Interlocked.Increment(ref markers)}@example.com";
        using (var signUp = await PostFormAsync("subscribe", ("email", marker))) signUp.EnsureSuccessStatusCode();
        await Blog.Mail.WaitForAsync(marker);
    }

    public async Task<HttpResponseMessage> PostFormAsync(string path, params (string Key, string Value)[] fields)
    {
        using var content = new FormUrlEncodedContent(fields.Select(f => KeyValuePair.Create(f.Key, f.Value)));
        return await Blog.Client.PostAsync(path, content);
    }

    /// <summary>Signs up and follows the confirmation link from the pickup folder; returns the active subscriber.</summary>
    public async Task<Subscriber> SubscribeAsync(string address, params (string Key, string Value)[] extra)
    {
        using var signUp = await PostFormAsync("subscribe", [("email", address), .. extra]);
        signUp.EnsureSuccessStatusCode();
        var mail = await Blog.Mail.WaitForAsync(address);
        using var confirm = await ConfirmAsync(PickupMail.Link(mail, "confirm"));
        confirm.EnsureSuccessStatusCode();
        return (await FindAsync(address))!;
    }

    /// <summary>Opens a confirmation link and presses the page's button, as a person does.</summary>
    public async Task<HttpResponseMessage> ConfirmAsync(Uri link)
    {
        using var page = await Blog.Client.GetAsync(link);
        page.EnsureSuccessStatusCode();
        return await Blog.Client.PostAsync(new Uri(link, FormAction(await page.Content.ReadAsStringAsync())), null);
    }

    /// <summary>Where the page's (first) form posts to.</summary>
    public static string FormAction(string html)
    {
        var action = Regex.Match(html, "<form method=\"post\" action=\"([^\"]*)\"", RegexOptions.None, TimeSpan.FromSeconds(1));
        Assert.True(action.Success, $"no form in the page:\n{html}");
        return WebUtility.HtmlDecode(action.Groups[1].Value);
    }
}
