namespace Blog.Posts;

/// <summary>
/// The posts that feeds and digests read. In the running service it is the catalogue's latest snapshot (the refresh
/// loop hands each one over), which keeps a broken file's last good version: a run planned while a post has a problem
/// still has that post. A command that runs once (<c>blog digest send</c>) reads the folder afresh.
/// </summary>
public sealed class PublishedPosts(PostStore store)
{
    private readonly TaskCompletionSource<PostSnapshot> first = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool live;
    private PostSnapshot? current;

    /// <summary>From now on the snapshots come from <see cref="Publish"/>: the service's refresh loop calls it on start.</summary>
    public void ExpectLive() => live = true;

    /// <summary>The catalogue's newest snapshot.</summary>
    public void Publish(PostSnapshot snapshot)
    {
        Volatile.Write(ref current, snapshot);
        first.TrySetResult(snapshot);
    }

    /// <summary>
    /// Live: the newest snapshot, waiting for the first (a digest fired at start must not plan on no posts).
    /// Otherwise the folder as it is now.
    /// </summary>
    /// <exception cref="PostStoreException">Not live, and the folder cannot be read.</exception>
    public async ValueTask<PostSnapshot> SnapshotAsync(CancellationToken cancellationToken)
    {
        if (!live) return store.Load(cancellationToken: cancellationToken);
        return Volatile.Read(ref current) ?? await first.Task.WaitAsync(cancellationToken);
    }
}
