using Blog.Subscribers;

namespace Blog.Tests.Subscriptions;

/// <summary>One running service on the sample blog for a test class; each test uses addresses of its own.</summary>
public sealed class SubscriptionSite : IAsyncLifetime
{
    private readonly TempFolder folder = new();

    public RunningBlog Blog { get; private set; } = null!;

    public async Task InitializeAsync() =>
        Blog = await RunningBlog.StartAsync(Path.Combine(TestSite.RepositoryRoot(), "content", "posts"), folder.Combine("out"), selfLinked: true,
            "--Subscriptions:SignUpLimit=10000", "--Mail:PollInterval=00:00:00.200");

    public async Task DisposeAsync()
    {
        await Blog.DisposeAsync();
        folder.Dispose();
    }

    public ISubscriberStore Store => Blog.Service<ISubscriberStore>();

    public Task<Subscriber?> FindAsync(string address) => Store.FindAsync(EmailAddress.Parse(address), CancellationToken.None);

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
        using var confirm = await Blog.Client.GetAsync(PickupMail.Link(mail, "confirm"));
        confirm.EnsureSuccessStatusCode();
        return (await FindAsync(address))!;
    }
}
