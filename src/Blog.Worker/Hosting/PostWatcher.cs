using System.Threading.Channels;

namespace Blog.Hosting;

/// <summary>
/// Turns file system events under the post folder into paths to re-read. A null entry asks for a full rescan: the
/// watcher lost events (its buffer overflowed) or failed. The periodic rescan covers what watchers miss anyway
/// (network shares, some editors' rename-and-replace).
/// </summary>
internal sealed class PostWatcher : IDisposable
{
    private readonly FileSystemWatcher watcher;
    private readonly ChannelWriter<string?> changes;

    public PostWatcher(string folder, ChannelWriter<string?> changes)
    {
        this.changes = changes;
        watcher = new FileSystemWatcher(folder)
        {
            IncludeSubdirectories = true,
            InternalBufferSize = 64 * 1024,
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size,
        };
        watcher.Created += (_, e) => Changed(e.FullPath);
        watcher.Changed += (_, e) => Changed(e.FullPath);
        watcher.Deleted += (_, e) => Changed(e.FullPath);
        watcher.Renamed += (_, e) =>
        {
            Changed(e.OldFullPath);
            Changed(e.FullPath);
        };
        watcher.Error += (_, _) => changes.TryWrite(null);
        watcher.EnableRaisingEvents = true;
    }

    private void Changed(string path)
    {
        // A folder moved in or out carries posts the events do not name one by one.
        if (Directory.Exists(path)) changes.TryWrite(null);
        else if (path.EndsWith(".md", StringComparison.OrdinalIgnoreCase)) changes.TryWrite(path);
    }

    public void Dispose() => watcher.Dispose();
}
