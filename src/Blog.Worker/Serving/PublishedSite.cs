using System.Collections.Frozen;
using Blog.Posts;

namespace Blog.Serving;

/// <summary>Everything the HTTP endpoint serves, as of one build. Immutable; a new build replaces it whole.</summary>
public sealed class PublishedSite(
    FrozenDictionary<string, ServedDocument> documents,
    DateTimeOffset builtAt,
    int posts,
    ImmutableArray<PostProblem> problems,
    string? storeError,
    string? outputError = null)
{
    public static readonly PublishedSite Empty = new(FrozenDictionary<string, ServedDocument>.Empty, DateTimeOffset.UnixEpoch, 0, [], "not built yet");

    /// <summary>Documents by path below the site root, without a leading slash ("" is the index page).</summary>
    public FrozenDictionary<string, ServedDocument> Documents { get; } = documents;

    public DateTimeOffset BuiltAt { get; } = builtAt;
    public int Posts { get; } = posts;
    public ImmutableArray<PostProblem> Problems { get; } = problems;

    /// <summary>Why the post folder could not be read at the last attempt; null while it can.</summary>
    public string? StoreError { get; } = storeError;

    /// <summary>Why the output folder could not be written at the last attempt; the site is still served.</summary>
    public string? OutputError { get; } = outputError;

    public PublishedSite WithStoreError(string? error) => new(Documents, BuiltAt, Posts, Problems, error, OutputError);

    public PublishedSite WithOutputError(string? error) => new(Documents, BuiltAt, Posts, Problems, StoreError, error);
}
