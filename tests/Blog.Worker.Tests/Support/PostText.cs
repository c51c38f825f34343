namespace Blog.Tests.Support;

/// <summary>Builds the text of a post file.</summary>
public static class PostText
{
    public static string Of(string title, string date, string body = "Body text.", string? extra = null) =>
        $"---\ntitle: {Yaml(title)}\ndate: {date}\n{(extra is null ? "" : extra + "\n")}---\n\n{body}\n";

    /// <summary>A YAML double-quoted scalar; escapes keep control characters expressible.</summary>
    public static string Yaml(string value)
    {
        var sb = new System.Text.StringBuilder("\"");
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case < ' ' or (>= '\u007F' and <= '\u009F') or '\uFFFE' or '\uFFFF': sb.Append($"\\u{(int)c:X4}"); break;
                default: sb.Append(c); break;
            }
        }
        return sb.Append('"').ToString();
    }
}
