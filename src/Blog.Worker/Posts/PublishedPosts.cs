namespace Blog.Posts;

/// <summary>
/// The one way the program reads posts: feeds, digests, the sign-up page's tags and the CLI all ask here. Behind it is
/// the catalogue, which re-reads only changed files and keeps a broken file's last good version, so a run planned
/// while a post has a problem still has that post. In the running service the refresh loop drives it and everyone
/// else reads the snapshot it made last; a command that runs once reads the folder when it asks.
/// </summary>
public sealed class PublishedPosts(PostCatalog catalog)
{
    private readonly TaskCompletionSource<PostSnapshot> first = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock refreshing = new();
    private volatile bool live;
    private PostSnapshot? current;

    public string ContentPath => catalog.ContentPath;

    /// <summary>From now on the snapshots come from the service's refresh loop (<see cref="Refresh"/>): it calls this on start.</summary>
    public void ExpectLive() => live = true;

    /// <summary>Whether the service's refresh loop makes the snapshots (else whoever asks reads the folder).</summary>
    public bool Live => live;

    /// <summary>The snapshot the last <see cref="Refresh"/> made, or null before the first.</summary>
    public PostSnapshot? Latest => Volatile.Read(ref current);

    /// <summary>
    /// Brings the catalogue up to date with the folder and makes the result the latest snapshot: every file when
    /// <paramref name="changedPaths"/> is null (a full rescan), else only those named.
    /// </summary>
    /// <exception cref="PostStoreException">The folder cannot be read; the last snapshot stays the latest.</exception>
    public PostSnapshot Refresh(IReadOnlyCollection<string>? changedPaths = null, IProgress<int>? progress = null,
        CancellationToken cancellationToken = default)
    {
        // The catalogue is not thread-safe; in the service only the refresh loop gets here, but a CLI command may ask twice.
        lock (refreshing)
        {
            catalog.Refresh(changedPaths, progress, cancellationToken);
            var snapshot = catalog.Snapshot();
            Volatile.Write(ref current, snapshot);
            first.TrySetResult(snapshot);
            return snapshot;
        }
    }

    /// <summary>
    /// Live: the newest snapshot, waiting for the first (a digest fired at start must not plan on no posts).
    /// Otherwise the folder as it is now.
    /// </summary>
    /// <exception cref="PostStoreException">Not live, and the folder cannot be read.</exception>
    public async ValueTask<PostSnapshot> SnapshotAsync(CancellationToken cancellationToken)
    {
        if (!live) return Refresh(cancellationToken: cancellationToken);
        return Latest ?? await first.Task.WaitAsync(cancellationToken);
    }

    /// <summary>
    /// A post's Markdown body. Only metadata is kept in memory (the bodies of a large blog are its whole size on disk),
    /// so the body is read again, for the few posts a feed shows. Null when the file vanished or no longer splits.
    /// </summary>
    public string? Body(Post post) => catalog.Body(post);
}
