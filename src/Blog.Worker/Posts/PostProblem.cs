using System.Globalization;
using System.Text;

namespace Blog.Posts;

/// <summary>Why one post file was skipped: the file, the line, the front matter field and its value.</summary>
public sealed record PostProblem(string Path, int Line, string Field, string Value, string Message)
{
    /// <summary>The most characters of a value a problem keeps.</summary>
    public const int MaxValueLength = 60;

    /// <summary>
    /// An excerpt of the value, never all of it: a problem is logged and printed, and the value may be anything a
    /// file holds (a whole line of it, a nested mapping, or a secret a post should never have held).
    /// </summary>
    public string Value { get; init; } = Excerpt(Value);

    public override string ToString()
    {
        var where = Line > 0 ? $"{Path}:{Line}" : Path;
        return Value.Length == 0 ? $"{where}: {Field}: {Message}" : $"{where}: {Field}: {Message} (value: {Quote(Value)})";
    }

    /// <summary>At most <see cref="MaxValueLength"/> characters, cut between whole characters, with an ellipsis when cut.</summary>
    public static string Excerpt(string value)
    {
        if (value.Length <= MaxValueLength) return value;
        var cut = 0;
        foreach (var rune in value.EnumerateRunes())
        {
            if (cut + rune.Utf16SequenceLength > MaxValueLength) break;
            cut += rune.Utf16SequenceLength;
        }
        return value[..cut] + "…";
    }

    /// <summary>A value quoted back to the user: on one line, control and other invisible characters made visible.</summary>
    public static string Quote(string value)
    {
        var sb = new StringBuilder("\"");
        foreach (var c in Excerpt(value))
        {
            if (c == '"' || c == '\\') sb.Append('\\').Append(c);
            else if (IsInvisible(c)) sb.Append($"\\u{(int)c:x4}");
            else sb.Append(c);
        }
        return sb.Append('"').ToString();
    }

    // Controls, and what reorders or hides text on a terminal (bidi overrides, zero-width marks), or is no character.
    private static bool IsInvisible(char c) => char.GetUnicodeCategory(c) is UnicodeCategory.Control or UnicodeCategory.Format
        or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned;
}
