using System.Net;
using System.Text.RegularExpressions;
using Blog.MailingList;

namespace Blog.Tests.Serving;

/// <summary>A fresh clone, run as it comes: Site:Url is left at appsettings.json's https://blog.example.com/.</summary>
public sealed class FirstRunTests
{
    [Fact]
    public async Task With_the_default_site_url_the_confirmation_link_in_the_mail_folder_confirms_and_the_feeds_keep_the_configured_url()
    {
        using var folder = new TempFolder();
        await using var blog = await RunningBlog.StartAsync(Path.Combine(TestSite.RepositoryRoot(), "content", "posts"), folder.Combine("out"),
            "--Mail:PollInterval=00:00:00.200", "--Subscriptions:Welcome=false");

        using (var form = new FormUrlEncodedContent([KeyValuePair.Create("email", "first@example.com")]))
        using (var signUp = await blog.Client.PostAsync("subscribe", form))
            Assert.Equal(HttpStatusCode.OK, signUp.StatusCode);
        var mail = await blog.Mail.WaitForAsync("first@example.com");
        var link = PickupMail.Link(mail, "confirm");

        // Followed as a person would: a browser that knows nothing but the link.
        Assert.StartsWith(blog.BaseAddress.AbsoluteUri, link.AbsoluteUri, StringComparison.Ordinal);
        using var browser = new HttpClient();
        using var page = await browser.GetAsync(link);
        var html = await page.Content.ReadAsStringAsync();
        var action = WebUtility.HtmlDecode(Regex.Match(html, "<form method=\"post\" action=\"([^\"]*)\"", RegexOptions.None, TimeSpan.FromSeconds(1)).Groups[1].Value);
        using var pressed = await browser.PostAsync(new Uri(link, action), null);
        Assert.Contains("You are subscribed", await pressed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var subscriber = await blog.Service<ISubscriberStore>().FindAsync(EmailAddress.Parse("first@example.com"), CancellationToken.None);
        Assert.Equal(SubscriberStatus.Active, subscriber!.Status);

        Assert.Equal(1, blog.Log.Count("Site:Url is left at its default", Microsoft.Extensions.Logging.LogLevel.Warning));
        // The feeds' ids and links are not the port this run happened to get.
        var feed = System.Text.Encoding.UTF8.GetString(blog.Site.Documents["feed.xml"].Bytes);
        Assert.Contains("https://blog.example.com/", feed, StringComparison.Ordinal);
        Assert.DoesNotContain(blog.BaseAddress.AbsoluteUri, feed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_site_url_that_was_set_is_what_mail_links_use_and_nothing_is_warned()
    {
        using var folder = new TempFolder();
        await using var blog = await RunningBlog.StartAsync(Path.Combine(TestSite.RepositoryRoot(), "content", "posts"), folder.Combine("out"),
            "--Site:Url=https://owner.example.org/", "--Mail:PollInterval=00:00:00.200", "--Subscriptions:Welcome=false");

        using (var form = new FormUrlEncodedContent([KeyValuePair.Create("email", "set@example.com")]))
        using (var signUp = await blog.Client.PostAsync("subscribe", form))
            Assert.Equal(HttpStatusCode.OK, signUp.StatusCode);
        var mail = await blog.Mail.WaitForAsync("set@example.com");

        Assert.StartsWith("https://owner.example.org/confirm?token=", PickupMail.Link(mail, "confirm").AbsoluteUri, StringComparison.Ordinal);
        Assert.Equal(0, blog.Log.Count("Site:Url is left at its default"));
    }
}
