using System.Text.RegularExpressions;
using Blog.Serving;

namespace Blog.Admin;

internal sealed partial class AdminOptionsValidator : IValidateOptions<AdminOptions>
{
    public ValidateOptionsResult Validate(string? name, AdminOptions options)
    {
        var failures = new List<string>();
        foreach (var url in Listeners.Split(options.Urls))
        {
            if (!Uri.TryCreate(url.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal), UriKind.Absolute, out var uri)
                || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps) || uri.AbsolutePath != "/")
                failures.Add($"Admin:Urls: \"{url}\" is not an http or https URL with no path, such as http://127.0.0.1:5081.");
        }
        if (options.PublicPath.Length > 0 && !PublicPathShape().IsMatch(options.PublicPath))
            failures.Add($"Admin:PublicPath must be empty or a path such as /admin (letters, digits, '-', '_'), but is \"{options.PublicPath}\".");
        if (options.SetupLinkLifetime <= TimeSpan.Zero || options.SetupLinkLifetime > TimeSpan.FromDays(7))
            failures.Add($"Admin:SetupLinkLifetime must be between 00:00:01 and 7.00:00:00, but is \"{options.SetupLinkLifetime}\".");
        if (options.SessionIdleTimeout < TimeSpan.FromMinutes(1) || options.SessionIdleTimeout > TimeSpan.FromDays(30))
            failures.Add($"Admin:SessionIdleTimeout must be between 00:01:00 and 30.00:00:00, but is \"{options.SessionIdleTimeout}\".");
        if (options.MaxFailedSignIns is < 1 or > 100)
            failures.Add($"Admin:MaxFailedSignIns must be between 1 and 100, but is {options.MaxFailedSignIns}.");
        if (options.LockoutTime < TimeSpan.FromSeconds(1) || options.LockoutTime > TimeSpan.FromDays(1))
            failures.Add($"Admin:LockoutTime must be between 00:00:01 and 1.00:00:00, but is \"{options.LockoutTime}\".");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    [GeneratedRegex("^(/[A-Za-z0-9_-]+)+/?$")]
    private static partial Regex PublicPathShape();
}
