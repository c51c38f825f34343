using System.Net;

namespace Blog.Serving;

internal sealed class HttpOptionsValidator : IValidateOptions<HttpOptions>
{
    public ValidateOptionsResult Validate(string? name, HttpOptions options)
    {
        var failures = new List<string>();
        foreach (var url in options.Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Uri.TryCreate(url.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal), UriKind.Absolute, out var uri)
                || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
                failures.Add($"Http:Urls: \"{url}\" is not an http or https URL such as http://127.0.0.1:5080.");
        }
        if (options.Urls.Trim().Length == 0) failures.Add("Http:Urls must name at least one URL to listen on.");
        if (options.MaxAge < TimeSpan.Zero || options.MaxAge > TimeSpan.FromDays(365))
            failures.Add($"Http:MaxAge must be between 00:00:00 and 365.00:00:00, but is \"{options.MaxAge}\".");
        for (var i = 0; i < options.KnownProxies.Count; i++)
        {
            if (!IPAddress.TryParse(options.KnownProxies[i].Trim(), out _))
                failures.Add($"Http:KnownProxies:{i} \"{options.KnownProxies[i]}\" is not an IP address such as 10.0.0.5 or 2001:db8::5.");
        }
        for (var i = 0; i < options.KnownNetworks.Count; i++)
        {
            if (!IPNetwork.TryParse(options.KnownNetworks[i].Trim(), out _))
                failures.Add($"Http:KnownNetworks:{i} \"{options.KnownNetworks[i]}\" is not a network such as 10.0.0.0/8 or 2001:db8::/32.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
