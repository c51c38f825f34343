using Microsoft.Extensions.Options;

namespace Blog.Site;

internal sealed class SiteOptionsValidator : IValidateOptions<SiteOptions>
{
    public ValidateOptionsResult Validate(string? name, SiteOptions options)
    {
        var failures = new List<string>();
        if (!Uri.TryCreate(options.Url, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
            failures.Add($"Site:Url must be an absolute http or https URL, but is \"{options.Url}\".");
        else if (!string.IsNullOrEmpty(url.Query) || !string.IsNullOrEmpty(url.Fragment))
            failures.Add($"Site:Url must not carry a query or fragment, but is \"{options.Url}\".");
        if (string.IsNullOrWhiteSpace(options.Title))
            failures.Add("Site:Title must not be empty.");
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(options.TimeZone, out _))
            failures.Add($"Site:TimeZone \"{options.TimeZone}\" is not a known IANA time zone (for example Europe/Berlin or UTC).");
        if (!options.PostPath.Contains("{slug}", StringComparison.Ordinal) || options.PostPath.StartsWith('/') || options.PostPath.Contains("://", StringComparison.Ordinal))
            failures.Add($"Site:PostPath must be a relative path containing {{slug}}, but is \"{options.PostPath}\".");
        if (options.AuthorEmail.Length > 0 && !options.AuthorEmail.Contains('@', StringComparison.Ordinal))
            failures.Add($"Site:AuthorEmail \"{options.AuthorEmail}\" is not an email address.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
