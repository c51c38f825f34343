using System.Net;
using System.Text.RegularExpressions;
using Blog.Admin.Access;
using Microsoft.Playwright;

namespace Blog.Tests.Support;

/// <summary>
/// A signed-in owner of a <see cref="RunningBlog"/>'s console: an HttpClient that keeps its cookies and does not follow
/// redirects (a test sees each one), and form posts that carry the antiforgery field a console page gave out.
/// </summary>
public sealed partial class ConsoleSession : IDisposable
{
    public const string DefaultName = "owner";
    public const string DefaultPassword = "correct horse battery staple";

    private ConsoleSession(Uri consoleAddress)
    {
        Address = consoleAddress;
        Client = new HttpClient(new SocketsHttpHandler { CookieContainer = Cookies, AllowAutoRedirect = false, AutomaticDecompression = DecompressionMethods.All })
        {
            BaseAddress = consoleAddress,
        };
    }

    /// <summary>The console's root, ending in '/': its own listener, or the public one's <c>Admin:PublicPath</c>.</summary>
    public Uri Address { get; }

    public CookieContainer Cookies { get; } = new();

    public HttpClient Client { get; }

    /// <summary>An account made through the store, as <c>blog admin add-user</c> makes one; nothing if it exists.</summary>
    public static async Task<AdminAccount> AccountAsync(RunningBlog blog, string name = DefaultName, string password = DefaultPassword)
    {
        var accounts = blog.Service<IAdminAccounts>();
        return await accounts.FindAsync(name, CancellationToken.None)
            ?? await accounts.CreateAsync(name, password, DateTimeOffset.UtcNow, CancellationToken.None);
    }

    /// <summary>A session not signed in yet, against the console at <paramref name="consoleAddress"/> (default: the blog's own console listener).</summary>
    public static ConsoleSession Anonymous(RunningBlog blog, Uri? consoleAddress = null) => new(consoleAddress ?? blog.ConsoleAddress);

    /// <summary>Makes the account if need be, and signs in with it.</summary>
    public static async Task<ConsoleSession> SignInAsync(RunningBlog blog, string name = DefaultName, string password = DefaultPassword, Uri? consoleAddress = null)
    {
        await AccountAsync(blog, name, password);
        var session = Anonymous(blog, consoleAddress);
        var signedIn = await session.SignInAsync(name, password);
        Assert.True(signedIn.StatusCode == HttpStatusCode.Redirect, $"signing in as {name}: {signedIn.StatusCode}\n{await signedIn.Content.ReadAsStringAsync()}");
        return session;
    }

    /// <summary>Posts the sign-in form as a browser would (fetching it first for its antiforgery field); returns the answer unfollowed.</summary>
    public Task<HttpResponseMessage> SignInAsync(string name, string password) =>
        PostFormAsync("/signin", [("name", name), ("password", password)], formPage: "/signin");

    public Task<HttpResponseMessage> GetAsync(string path) => Client.GetAsync(Relative(path));

    public async Task<string> GetStringAsync(string path)
    {
        using var response = await GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {response.StatusCode}\n{body}");
        return body;
    }

    /// <summary>
    /// Posts <paramref name="fields"/> to <paramref name="path"/> with the antiforgery field of a form on
    /// <paramref name="formPage"/> (any console page with a form: the field is good for every form).
    /// </summary>
    public async Task<HttpResponseMessage> PostFormAsync(string path, IEnumerable<(string Name, string Value)> fields, string formPage = "/account")
    {
        var (field, token) = await AntiforgeryAsync(formPage);
        using var content = new FormUrlEncodedContent([.. fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)), new(field, token)]);
        return await Client.PostAsync(Relative(path), content);
    }

    /// <summary>The antiforgery field's name and value from the first form on <paramref name="formPage"/>; its cookie lands in <see cref="Cookies"/>.</summary>
    public async Task<(string Name, string Value)> AntiforgeryAsync(string formPage = "/account")
    {
        var html = await GetStringAsync(formPage);
        var match = AntiforgeryField().Match(html);
        Assert.True(match.Success, $"no form on {formPage}:\n{html}");
        return (WebUtility.HtmlDecode(match.Groups[1].Value), WebUtility.HtmlDecode(match.Groups[2].Value));
    }

    /// <summary>Signs a browser page in at the console, through its sign-in form; the account must exist (<see cref="AccountAsync"/>).</summary>
    public static async Task SignInAsync(IPage page, Uri consoleAddress, string name = DefaultName, string password = DefaultPassword)
    {
        await page.GotoAsync(new Uri(consoleAddress, "signin").AbsoluteUri);
        await page.GetByLabel("Name").FillAsync(name);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await page.WaitForURLAsync(url => !url.Contains("/signin", StringComparison.Ordinal));
    }

    private static string Relative(string path) => path.TrimStart('/');

    [GeneratedRegex("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]+)\">")]
    private static partial Regex AntiforgeryField();

    public void Dispose() => Client.Dispose();
}
