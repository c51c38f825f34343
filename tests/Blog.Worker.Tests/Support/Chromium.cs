using Microsoft.Playwright;

namespace Blog.Tests.Support;

/// <summary>
/// Debian's Chromium, driven by Playwright. Playwright never downloads a browser here: it is pointed at
/// <c>/usr/bin/chromium</c>, which the README's test command installs. A missing browser fails the test; it never skips.
/// </summary>
public static class Chromium
{
    public const string Path = "/usr/bin/chromium";

    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync()
    {
        Assert.True(File.Exists(Path), $"{Path} is not installed. Run the README's test command (bash tests/run.sh), which installs Debian's chromium.");
        // Playwright's own driver must not look for, or fetch, the browsers it would normally bring.
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Path,
            Headless = true,
            // Without these Chromium tries to reach Google's services, which this network refuses.
            Args = ["--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        return (playwright, browser);
    }
}
