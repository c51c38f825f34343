using System.Text;
using Blog.Posts;

namespace Blog.Tests.Posts;

/// <summary>The fast reader must give exactly YamlDotNet's answer wherever it answers at all.</summary>
public sealed class SimpleFrontMatterTests
{
    public static TheoryData<string> Tricky() =>
    [
        "title: plain words\ndate: 2026-01-01\n",
        "title: \"double \\\"quoted\\\" \\\\ back\"\n",
        "title: 'single ''quoted'' text'\n",
        "title: a: b\n",
        "title: value # comment\n",
        "title: \"quoted\" # comment\n",
        "title: value#nocomment\n",
        "title: ~\nsummary: null\nslug:\n",
        "tags: [a, \"b c\", 'd']\n",
        "tags: [a, [b]]\n",
        "tags: [a b, c]\n",
        "tags: []\n",
        "tags:\n  - a\n  - \"b\"\n  - 'c d'\n",
        "tags:\n- flush\n- items\n",
        "tags:\n  - a\n    - b\n",
        "tags:\n  - a\n  # comment\n  - b\n",
        "tags:\n  - a\n\n  - b\n",
        "tags:\n  - nested: map\n",
        "tags:\n  - - deep\n",
        "title: first line\n  continued\n",
        "title: |\n  block\n",
        "title: >\n  folded\n",
        "title: &anchor x\nsummary: *anchor\n",
        "title: !!str 123\n",
        "title: \"unterminated\n",
        "title: \"escape \\u00e9 and \\x41\"\n",
        "title: a\ntitle: b\n",
        "  indented: key\n",
        "\"quoted key\": v\n",
        "key:value\n",
        "title: tab\there\n",
        "title: trailing spaces   \n",
        "title: emoji 🚀 and 日本語\n",
        "title: 'it''s'\ndraft: yes\n",
        "date: 2026-03-01T09:30:00+01:00\n",
        "title: @reserved\n",
        "title: `backtick\n",
        "title: - dash\n",
        "title: ends with colon:\n",
        "# only a comment\n",
        "title: x\r\ndate: 2026-01-01\r\ntags:\r\n  - a\r\n",
        "meta:\n  nested: value\ntitle: t\n",
        "tags: {a: b}\n",
    ];

    [Theory]
    [MemberData(nameof(Tricky))]
    public void Agrees_with_YamlDotNet_or_declines(string yaml) => AssertAgrees(yaml);

    [Fact]
    public void Reads_the_sample_posts_and_generated_posts_itself_and_agrees_with_YamlDotNet()
    {
        using var folder = new TempFolder();
        var generator = Path.Combine(TestSite.RepositoryRoot(), "bench", "gen-corpus.py");
        var (exit, output) = ExternalTool.Run("/usr/bin/python3", [generator, "300", folder.Combine("gen")]);
        Assert.True(exit == 0, output);
        var files = Directory.GetFiles(folder.Combine("gen"), "*.md")
            .Concat(Directory.GetFiles(Path.Combine(TestSite.RepositoryRoot(), "content", "posts"), "*.md")).ToList();

        var fast = 0;
        foreach (var file in files)
        {
            var bytes = File.ReadAllBytes(file);
            Assert.True(FrontMatter.TrySplit(bytes, out var split, out _));
            if (AssertAgrees(split.Yaml(bytes))) fast++;
        }
        // The point of the fast path is that ordinary posts take it.
        Assert.True(fast >= files.Count * 9 / 10, $"only {fast} of {files.Count} posts took the fast path");
    }

    private static bool AssertAgrees(string yaml)
    {
        var simple = SimpleFrontMatter.TryRead(yaml);
        if (simple is null) return false;
        var (reference, error) = FrontMatterYaml.ReadWithYamlDotNet(yaml);
        Assert.True(error is null, $"fast path accepted what YamlDotNet rejects ({error}):\n{yaml}");
        Assert.Equal(reference!.Keys.Order(), simple.Keys.Order());
        foreach (var (key, expected) in reference)
        {
            var actual = simple[key];
            Assert.Equal(Describe(expected), Describe(actual));
        }
        return true;
    }

    private static string Describe(YamlField f)
    {
        var sb = new StringBuilder($"line {f.Line} ");
        if (f.Scalar is not null) sb.Append($"scalar '{f.Scalar}' plain={f.Plain} null={f.IsNull}");
        if (f.Items is { } items) sb.Append("items ").AppendJoin(" | ", items.Select(i => $"{i.Line}:{i.Value}"));
        if (f.Nested is not null) sb.Append("nested");
        return sb.ToString();
    }
}
