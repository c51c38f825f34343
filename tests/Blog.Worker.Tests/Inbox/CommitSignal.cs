namespace Blog.Tests.Inbox;

/// <summary>
/// The test's end of <c>Mail:Inbox:CommitSignalPath</c>: a FIFO the pass writes each committed message's key to, then
/// waits on for a line back before it moves the message. Reading the key is the signal that the pass stands between
/// commit and move; a kill or a cancellation lands exactly there.
/// </summary>
public sealed class CommitSignal : IDisposable
{
    private readonly TempFolder folder = new();

    public CommitSignal()
    {
        Path = folder.Combine("commits");
        var (exit, output) = ExternalTool.Run("mkfifo", [Path]);
        Assert.True(exit == 0, output);
    }

    public string Path { get; }

    /// <summary>The key of the next message the pass committed, once it did.</summary>
    public async Task<string> CommittedAsync() =>
        await Task.Run(() =>
        {
            // Opening a FIFO waits for the other end: here, for the pass to reach its commit.
            using var reader = new StreamReader(new FileStream(Path, FileMode.Open, FileAccess.Read));
            return reader.ReadLine() ?? "";
        }).WaitAsync(TimeSpan.FromSeconds(60));

    /// <summary>Lets the waiting pass go on to move the message.</summary>
    public async Task ReleaseAsync() =>
        await Task.Run(() =>
        {
            using var writer = new StreamWriter(new FileStream(Path, FileMode.Open, FileAccess.Write));
            writer.WriteLine("go");
        }).WaitAsync(TimeSpan.FromSeconds(60));

    public void Dispose() => folder.Dispose();
}
