namespace Blog.Cli;

/// <summary>A one-line progress display on an interactive terminal; nothing at all when output is redirected.</summary>
internal sealed class TerminalProgress(TextWriter writer) : IProgress<string>
{
    private readonly Lock gate = new();
    private int width;

    public static TerminalProgress? For(TextWriter writer) =>
        writer == Console.Error && !Console.IsErrorRedirected ? new TerminalProgress(writer) : null;

    public void Report(string value)
    {
        lock (gate)
        {
            writer.Write('\r' + value.PadRight(width));
            width = value.Length;
        }
    }

    public void Clear()
    {
        lock (gate) writer.Write('\r' + new string(' ', width) + '\r');
    }
}
