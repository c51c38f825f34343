using System.Text;
using Blog.Posts;

namespace Blog.Tests.Posts;

/// <summary>Front matter is hostile input: its cost must stay bounded, whatever the YAML says.</summary>
public sealed class FrontMatterYamlTests
{
    private static (Post? Post, PostProblem? Problem) Parse(string text) =>
        TestSite.Parser().Parse("/c/post.md", Encoding.UTF8.GetBytes(text));

    [Fact]
    public void An_alias_bomb_is_a_problem_naming_the_field_and_the_anchor()
    {
        // Each level repeats the one before nine times: 9^6 scalars from under a kilobyte of text.
        var yaml = new StringBuilder("title: Bomb\ndate: 2026-01-01\nl0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (var i = 1; i <= 6; i++)
            yaml.Append($"l{i}: &l{i} [{string.Join(", ", Enumerable.Repeat($"*l{i - 1}", 9))}]\n");

        var (post, problem) = Parse($"---\n{yaml}---\nBody\n");

        Assert.Null(post);
        Assert.NotNull(problem);
        Assert.Equal(4, problem.Line);
        Assert.Equal("l0", problem.Field);
        Assert.Equal("&l0", problem.Value);
        Assert.Contains("anchor", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    // The flat reader leaves these to YamlDotNet; both must refuse them.
    [InlineData("title: &t Hello\ndate: 2026-01-01\nsummary: *t", 2, "title", "&t")]
    [InlineData("title: Hello\ndate: 2026-01-01\ntags:\n  - &x one\n  - *x", 5, "tags", "&x")]
    [InlineData("title: Hello\ndate: 2026-01-01\nsummary: *nothing", 4, "summary", "*nothing")]
    public void Anchors_and_aliases_are_problems_on_every_path(string yaml, int line, string field, string value)
    {
        var (post, problem) = Parse($"---\n{yaml}\n---\nBody\n");
        Assert.Null(post);
        Assert.Equal((line, field, value), (problem!.Line, problem.Field, problem.Value));
    }

    [Fact]
    public void Front_matter_larger_than_64_KiB_is_a_problem_on_the_line_it_starts()
    {
        var (post, problem) = Parse(PostText.Of("Big", "2026-01-01", extra: "summary: " + new string('x', 70_000)));
        Assert.Null(post);
        Assert.Equal((1, "(front matter)"), (problem!.Line, problem.Field));
        Assert.Contains("64 KiB", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Deep_nesting_is_a_problem()
    {
        var (post, problem) = Parse(PostText.Of("Deep", "2026-01-01", extra: "extra: " + new string('[', 200) + new string(']', 200)));
        Assert.Null(post);
        Assert.Equal((4, "extra"), (problem!.Line, problem.Field));
        Assert.Contains("nested", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_value_in_a_problem_is_a_short_excerpt_with_invisible_characters_shown()
    {
        var (_, problem) = Parse(PostText.Of("T", "2026-01-01" + new string('9', 500) + "TAIL"));
        Assert.DoesNotContain("TAIL", problem!.Value, StringComparison.Ordinal);
        Assert.True(problem.Value.Length <= 61, $"value of {problem.Value.Length} characters");
        Assert.EndsWith("…", problem.Value, StringComparison.Ordinal);

        var (_, bidi) = Parse(PostText.Of("T", "2026\u202E-01-01"));
        Assert.Contains("\\u202e", bidi!.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("\u202E", bidi.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_tag_too_long_for_a_folder_name_gets_a_short_stable_key_and_short_tags_keep_theirs()
    {
        var longTag = new string('語', 100);
        var (post, problem) = Parse(PostText.Of("T", "2026-01-01", extra: $"tags: [{longTag}, {longTag}x, rag, {new string('語', 85)}]"));
        Assert.Null(problem);
        var keys = post!.TagKeys;
        Assert.All(keys, k => Assert.True(Encoding.UTF8.GetByteCount(k) <= 255, $"{k} is {Encoding.UTF8.GetByteCount(k)} bytes"));
        Assert.NotEqual(keys[0], keys[1]);
        Assert.StartsWith(new string('語', 20), keys[0], StringComparison.Ordinal);
        Assert.True(Slug.IsValid(keys[0]), keys[0]);
        Assert.Equal("rag", keys[2]);
        Assert.Equal(new string('語', 85), keys[3]);
        Assert.Equal(keys.ToArray(), Parse(PostText.Of("T", "2026-01-01", extra: $"tags: [{longTag}, {longTag}x, rag, {new string('語', 85)}]")).Post!.TagKeys.ToArray());
    }
}
