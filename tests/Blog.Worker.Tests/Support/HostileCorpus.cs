using System.Text;

namespace Blog.Tests.Support;

/// <summary>Posts built to break feed writers: forbidden characters, CDATA terminators, markup, emoji, RTL text, huge titles, CRLF, BOM.</summary>
public static class HostileCorpus
{
    public static readonly string LongTitle = string.Concat(Enumerable.Repeat("Long title ", 1000)).Trim();

    /// <summary>Writes the corpus into <paramref name="folder"/>; returns how many posts are in it (all valid).</summary>
    public static int Write(TempFolder folder, string sub = "posts")
    {
        var posts = new (string Name, string Title, string Summary, string Body)[]
        {
            ("controls", "Bell\u0007 null\u0000 escape\u001B vt\u000B ff\u000C nel\u0085 end", "Summary with \u0001 and \u009F and \uFFFE",
                "Body with \u0002 and a form feed \u000C inside."),
            ("cdata", "Ends ]]> and ]]> again", "]]> in the summary, ]]]]><![CDATA[> nested",
                "Text ]]> and code:\n\n```\n<![CDATA[ x ]]> ]]>\n```\n\nand `]]>` inline, ]]> twice ]]>."),
            ("markup", "<script>alert('x')</script> & <b>bold</b> &amp; &lt;", "<img src=x onerror=alert(1)> </description></item>",
                "<script>alert(1)</script>\n\n</content></entry></feed>\n\nA <div>raw block</div> & an [relative link](../other/) and ![img](/img/a.png)."),
            ("emoji", "Rockets 🚀 and family 👨‍👩‍👧 and flags 🇩🇪", "Emoji summary 🔥✅", "Emoji body 🧪 with 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 math."),
            ("rtl", "مرحبا بالعالم — שלום עולם \u202Ereversed\u202C", "نص عربي مع English mixed", "עברית בגוף הפוסט ‏and ‎marks."),
            ("longtitle", LongTitle, new string('s', 5000), string.Concat(Enumerable.Repeat("Paragraph text. ", 2000))),
            ("quotes", "\"Double\" and 'single' quotes, back\\slash", "Tab\tseparated\tsummary", "Body"),
        };
        var date = new DateTimeOffset(2025, 1, 1, 12, 0, 0, TimeSpan.Zero);
        var i = 0;
        foreach (var (name, title, summary, body) in posts)
        {
            var text = PostText.Of(title, date.AddDays(i++).ToString("yyyy-MM-ddTHH:mm:sszzz"), body,
                $"summary: {PostText.Yaml(summary)}\ntags: [hostile, \"C# & <.NET>\", \"日本語\"]");
            folder.Write($"{sub}/{name}.md", text);
        }

        // CRLF line endings throughout, and a UTF-8 byte order mark.
        var crlf = PostText.Of("Windows line endings", date.AddDays(i++).ToString("yyyy-MM-ddTHH:mm:sszzz"), "Line one\nline two\n\n- a\n- b", "tags: [hostile]")
            .Replace("\n", "\r\n", StringComparison.Ordinal);
        folder.Write($"{sub}/crlf.md", crlf);
        var bom = PostText.Of("Byte order mark", date.AddDays(i++).ToString("yyyy-MM-ddTHH:mm:sszzz"), "Body after a BOM.", "tags: [hostile]");
        folder.WriteBytes($"{sub}/bom.md", [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(bom)]);
        return i;
    }
}
