using System.Net;
using Blog.Tests.Support;

namespace Blog.Tests.Admin.Access;

/// <summary>Signing in to the console over real HTTP: the session, its cookie, and what a wrong password gets.</summary>
public sealed class SignInTests
{
    private static async Task<RunningBlog> StartAsync(TempFolder folder, params string[] settings)
    {
        folder.Write("posts/a.md", PostText.Of("A", "2026-01-01"));
        return await RunningBlog.StartAsync(folder.Combine("posts"), folder.Combine("out"), settings);
    }

    [Fact]
    public async Task The_right_password_opens_a_session_and_the_account_page_names_the_owner()
    {
        using var folder = new TempFolder();
        await using var blog = await StartAsync(folder);
        using var anonymous = ConsoleSession.Anonymous(blog);
        var refused = await anonymous.GetAsync("/account");
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.Equal("/signin", new Uri(blog.ConsoleAddress, refused.Headers.Location!).AbsolutePath);

        using var session = await ConsoleSession.SignInAsync(blog);
        var account = await session.GetStringAsync("/account");
        Assert.Contains("Signed in as <strong>owner</strong>", account, StringComparison.Ordinal);
    }
}
