using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Blog.Readership;

/// <summary>
/// What an aggregator says about a feed in its User-Agent: its name and how many of its users follow the feed, as
/// Feedly ("Feedly/1.0 (+http://www.feedly.com/fetcher.html; 123 subscribers; )"), Inoreader, NewsBlur ("NewsBlur Feed
/// Fetcher - 123 subscribers - …"), Feedbin ("Feedbin feed-id:1 - 123 subscribers"), The Old Reader, BazQux,
/// Feedspot and others send.
/// </summary>
public sealed partial record AggregatorReport(string Aggregator, long Subscribers)
{
    /// <summary>Longer User-Agents are not read: a count is near the start of every real one.</summary>
    public const int MaxUserAgentLength = 512;

    private const int MaxNameLength = 40;

    // Known names first, by a word their User-Agent always has; anything else that reports a count is named by its first product token.
    private static readonly (string Word, string Name)[] Known =
    [
        ("feedly", "Feedly"), ("inoreader", "Inoreader"), ("newsblur", "NewsBlur"), ("feedbin", "Feedbin"), ("theoldreader", "The Old Reader"),
        ("feedspot", "Feedspot"), ("bazqux", "BazQux"), ("netvibes", "Netvibes"), ("feedwrangler", "Feed Wrangler"), ("newsgator", "NewsGator"),
        ("digg", "Digg"), ("feedhq", "FeedHQ"), ("g2reader", "G2Reader"), ("feeder.co", "Feeder"), ("flipboard", "Flipboard"),
    ];

    [GeneratedRegex(@"(?<![\d.,])(\d{1,9})\s+(?:subscribers?|readers?)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 100)]
    private static partial Regex CountPattern();

    // An aggregator that fetches one URL under several of its feeds (http and https, say) counts each: told apart by its feed id.
    [GeneratedRegex(@"(?:feed-?id[:=]\s?|/site/)(\d{1,12})", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 100)]
    private static partial Regex FeedIdPattern();

    public static bool TryParse(string? userAgent, [NotNullWhen(true)] out AggregatorReport? report)
    {
        report = null;
        if (string.IsNullOrEmpty(userAgent) || userAgent.Length > MaxUserAgentLength) return false;
        try
        {
            var count = CountPattern().Match(userAgent);
            if (!count.Success) return false;
            var name = NameOf(userAgent);
            if (name is null) return false;
            if (FeedIdPattern().Match(userAgent) is { Success: true } id) name = $"{name} #{id.Groups[1].Value}";
            report = new AggregatorReport(name, long.Parse(count.Groups[1].Value, CultureInfo.InvariantCulture));
            return true;
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }

    private static string? NameOf(string userAgent)
    {
        foreach (var (word, name) in Known)
            if (userAgent.Contains(word, StringComparison.OrdinalIgnoreCase)) return name;
        // "Mozilla/5.0 (compatible; X/1.0; …)" names its product inside the brackets.
        var text = userAgent.StartsWith("Mozilla/", StringComparison.OrdinalIgnoreCase) && userAgent.IndexOf("compatible;", StringComparison.OrdinalIgnoreCase) is >= 0 and var at
            ? userAgent[(at + "compatible;".Length)..]
            : userAgent;
        var token = new string([.. text.TrimStart().TakeWhile(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_').Take(MaxNameLength)]);
        return token.Length == 0 ? null : token;
    }
}
