using System.Text;
using System.Text.Unicode;

namespace Blog.Posts;

/// <summary>Where the YAML front matter and the Markdown body of a post file lie, found on the raw bytes.</summary>
public readonly record struct FrontMatter(int YamlStart, int YamlEnd, int BodyStart)
{
    private static ReadOnlySpan<byte> Bom => [0xEF, 0xBB, 0xBF];

    /// <summary>The largest front matter read, in bytes.</summary>
    public const int MaxYamlBytes = 64 * 1024;

    /// <summary>Splits a file; on failure <paramref name="problem"/> says why, with the line it concerns.</summary>
    public static bool TrySplit(ReadOnlySpan<byte> file, out FrontMatter split, out (int Line, string Field, string Value, string Message) problem)
    {
        split = default;
        problem = default;
        if (!Utf8.IsValid(file))
        {
            var at = FirstInvalidByte(file);
            problem = (LineOf(file, at), "(encoding)", $"0x{file[at]:X2} at byte {at}", "the file is not valid UTF-8; save it as UTF-8");
            return false;
        }

        var start = file.StartsWith(Bom) ? Bom.Length : 0;
        var firstEnd = LineEnd(file, start);
        if (!IsFence(file[start..firstEnd], "---"u8))
        {
            problem = (1, "(front matter)", Line(file, start, firstEnd), "the file must start with a '---' line that opens the YAML front matter");
            return false;
        }

        var yamlStart = Math.Min(firstEnd + 1, file.Length);
        for (var pos = yamlStart; pos < file.Length;)
        {
            var end = LineEnd(file, pos);
            var line = file[pos..end];
            if (IsFence(line, "---"u8) || IsFence(line, "..."u8))
            {
                // Real front matter is a few hundred bytes; a YAML parser's cost on more is an attacker's to choose.
                if (pos - yamlStart > MaxYamlBytes)
                {
                    problem = (1, "(front matter)", $"{pos - yamlStart} bytes", $"the front matter opened on line 1 is larger than {MaxYamlBytes / 1024} KiB");
                    return false;
                }
                split = new FrontMatter(yamlStart, pos, Math.Min(end + 1, file.Length));
                return true;
            }
            pos = end + 1;
        }
        problem = (1, "(front matter)", "---", "the front matter opened on line 1 is never closed by a '---' line");
        return false;
    }

    public string Yaml(ReadOnlySpan<byte> file) => Encoding.UTF8.GetString(file[YamlStart..YamlEnd]);

    public string Body(ReadOnlySpan<byte> file) => Encoding.UTF8.GetString(file[BodyStart..]);

    private static int LineEnd(ReadOnlySpan<byte> file, int from)
    {
        var i = file[from..].IndexOf((byte)'\n');
        return i < 0 ? file.Length : from + i;
    }

    private static bool IsFence(ReadOnlySpan<byte> line, ReadOnlySpan<byte> fence) =>
        line.TrimEnd(" \t\r"u8).SequenceEqual(fence);

    private static string Line(ReadOnlySpan<byte> file, int start, int end) =>
        Encoding.UTF8.GetString(file[start..end]).TrimEnd('\r');

    private static int LineOf(ReadOnlySpan<byte> file, int index) => file[..index].Count((byte)'\n') + 1;

    private static int FirstInvalidByte(ReadOnlySpan<byte> file)
    {
        var at = 0;
        while (at < file.Length)
        {
            if (System.Text.Rune.DecodeFromUtf8(file[at..], out _, out var consumed) != System.Buffers.OperationStatus.Done)
                return at;
            at += consumed;
        }
        return file.Length - 1;
    }
}
