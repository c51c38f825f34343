using System.Text;

namespace Blog.Posts;

/// <summary>Why one post file was skipped: the file, the line, the front matter field and its value.</summary>
public sealed record PostProblem(string Path, int Line, string Field, string Value, string Message)
{
    public override string ToString()
    {
        var where = Line > 0 ? $"{Path}:{Line}" : Path;
        return Value.Length == 0 ? $"{where}: {Field}: {Message}" : $"{where}: {Field}: {Message} (value: {Quote(Value)})";
    }

    /// <summary>A value quoted back to the user: on one line, control characters made visible, short enough to read.</summary>
    public static string Quote(string value)
    {
        var sb = new StringBuilder("\"");
        foreach (var c in value.Length > 120 ? value[..117] + "..." : value)
        {
            if (c == '"' || c == '\\') sb.Append('\\').Append(c);
            else if (char.IsControl(c)) sb.Append($"\\u{(int)c:x4}");
            else sb.Append(c);
        }
        return sb.Append('"').ToString();
    }
}
