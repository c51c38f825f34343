using System.Net;
using Blog.Admin;

namespace Blog.Tests.Admin.Access;

/// <summary>Admin:PublicPath: the console under a path of the public listener, with no listener of its own.</summary>
public sealed class PublicPathTests
{
    [Fact]
    public async Task Under_a_public_path_the_console_signs_in_there_and_binds_no_listener_of_its_own()
    {
        using var folder = new TempFolder();
        await using var blog = await SignInTests.StartAsync(folder, null, "--Admin:PublicPath=/admin");
        Assert.Empty(blog.Service<ConsoleListener>().Addresses);
        var console = new Uri(blog.BaseAddress, "admin/");
        var link = SetupLinkTests.LinkIn(blog.Log);
        // Site:Url's address, under the path: the one the owner's browser reaches.
        Assert.Equal("/admin/setup", link.AbsolutePath);
        Assert.Equal(HttpStatusCode.OK, (await blog.Client.GetAsync(link.PathAndQuery.TrimStart('/'))).StatusCode);

        using var anonymous = ConsoleSession.Anonymous(blog, console);
        var signin = await anonymous.GetAsync("/signin");
        Assert.Equal(HttpStatusCode.OK, signin.StatusCode);
        Assert.Equal(ConsoleHeaders.ContentSecurityPolicy, signin.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Contains("action=\"/admin/signin\"", await signin.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var refused = await anonymous.GetAsync("/account");
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.Equal("/admin/signin", new Uri(console, refused.Headers.Location!).AbsolutePath);

        await ConsoleSession.AccountAsync(blog);
        var signedIn = await anonymous.SignInAsync(ConsoleSession.DefaultName, ConsoleSession.DefaultPassword);
        Assert.Equal("/admin/", signedIn.Headers.Location!.OriginalString);
        Assert.Contains("path=/admin", Assert.Single(signedIn.Headers.GetValues("Set-Cookie"), c => c.StartsWith("blog-console=", StringComparison.Ordinal)),
            StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Signed in as <strong>owner</strong>", await anonymous.GetStringAsync("/account"), StringComparison.Ordinal);
        // Outside the path it is the site, which has no such page.
        Assert.Equal(HttpStatusCode.NotFound, (await blog.Client.GetAsync("signin")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await blog.Client.GetAsync("feed.xml")).StatusCode);
    }
}
