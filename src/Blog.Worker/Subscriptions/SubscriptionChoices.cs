using Blog.Digests;
using Blog.Feeds;
using Blog.Posts;

namespace Blog.Subscriptions;

/// <summary>Checks a subscriber's choices of cadence and tags against what the blog has, with messages that say what is allowed.</summary>
public sealed class SubscriptionChoices(IOptions<DigestsOptions> digests, IOptions<SubscriptionOptions> options, KnownTags tags)
{
    private const int NamesShown = 30;

    public ImmutableArray<string> Cadences => digests.Value.CadenceNames;

    public string DefaultCadence => options.Value.DefaultCadence;

    public ImmutableArray<FeedScope> Tags => tags.Current;

    /// <returns>Null when <paramref name="value"/> names a cadence (empty means the default); otherwise why not.</returns>
    public string? CheckCadence(string? value, out string cadence)
    {
        cadence = string.IsNullOrWhiteSpace(value) ? DefaultCadence : value.Trim().ToLowerInvariant();
        if (Cadences.Contains(cadence)) return null;
        return $"unknown cadence \"{Shorten(value!)}\"; the cadences are {string.Join(", ", Cadences)}";
    }

    /// <summary>Tags may be given by key or by name, in any case; they are stored by key.</summary>
    /// <returns>Null when every value names a tag; otherwise why not.</returns>
    public string? CheckTags(IEnumerable<string?> values, out ImmutableArray<string> keys)
    {
        var known = Tags.Select(t => t.TagKey!).ToHashSet(StringComparer.Ordinal);
        var chosen = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var value in values.Where(v => !string.IsNullOrWhiteSpace(v)).Select(v => v!.Trim()))
        {
            var key = Slug.TagKey(value);
            if (!known.Contains(key))
            {
                keys = [];
                var names = Tags.Take(NamesShown).Select(t => t.TagKey);
                return known.Count == 0
                    ? $"unknown tag \"{Shorten(value)}\"; no published post has a tag yet"
                    : $"unknown tag \"{Shorten(value)}\"; the tags are {string.Join(", ", names)}{(known.Count > NamesShown ? ", ..." : "")}";
            }
            chosen.Add(key);
        }
        keys = [.. chosen];
        return null;
    }

    private static string Shorten(string value)
    {
        var clean = string.Concat(value.Select(c => char.IsControl(c) ? '?' : c));
        return clean.Length <= 60 ? clean : clean[..60] + "...";
    }
}
