using System.Text;
using Blog.Posts;

namespace Blog.Tests.Posts;

public sealed class PostParserTests
{
    private static (Post? Post, PostProblem? Problem) Parse(string text, string path = "/c/2026-03-01-hello-world.md", string zone = "UTC") =>
        TestSite.Parser(zone).Parse(path, Encoding.UTF8.GetBytes(text));

    [Fact]
    public void Reads_every_field()
    {
        var (post, problem) = Parse("""
            ---
            title: "Hello: world"
            date: 2026-03-01T09:30:00+02:00
            updated: 2026-03-05T10:00:00Z
            summary: Short summary
            tags: [rag, "LLM Ops", rag]
            slug: custom-slug
            id: urn:uuid:1d6c0f1e-1111-4d2b-9d5e-000000000001
            draft: true
            unknown: ignored
            ---
            Body
            """);
        Assert.Null(problem);
        Assert.NotNull(post);
        Assert.Equal("Hello: world", post.Title);
        Assert.Equal(new DateTimeOffset(2026, 3, 1, 9, 30, 0, TimeSpan.FromHours(2)), post.Published);
        Assert.Equal(TimeSpan.FromHours(2), post.Published.Offset);
        Assert.Equal(new DateTimeOffset(2026, 3, 5, 10, 0, 0, TimeSpan.Zero), post.Updated);
        Assert.Equal("Short summary", post.Summary);
        Assert.Equal(["rag", "LLM Ops"], post.Tags.ToArray());
        Assert.Equal("custom-slug", post.Slug);
        Assert.Equal("urn:uuid:1d6c0f1e-1111-4d2b-9d5e-000000000001", post.Id);
        Assert.True(post.Draft);
    }

    [Fact]
    public void Derives_slug_from_file_name_and_a_tag_uri_id_from_host_date_and_slug()
    {
        var (post, _) = Parse(PostText.Of("T", "2026-03-01T23:30:00-05:00"));
        Assert.Equal("hello-world", post!.Slug);
        // The date part is the post's own calendar date, not the UTC one (which is already March 2nd).
        Assert.Equal("tag:blog.example.com,2026-03-01:hello-world", post.Id);
        Assert.Equal(post.Published, post.Updated);
        Assert.False(post.Draft);
        Assert.Empty(post.Tags);
    }

    [Theory]
    [InlineData("2026-03-01", "Europe/Berlin", "2026-03-01T00:00:00+01:00")]
    [InlineData("2026-07-01T09:00", "Europe/Berlin", "2026-07-01T09:00:00+02:00")]
    [InlineData("2026-07-01 09:00:00", "America/New_York", "2026-07-01T09:00:00-04:00")]
    [InlineData("2026-07-01T09:00:00Z", "Europe/Berlin", "2026-07-01T09:00:00+00:00")]
    [InlineData("2026-07-01T09:00:00.250+05:30", "Europe/Berlin", "2026-07-01T09:00:00.250+05:30")]
    public void A_date_without_offset_is_read_in_the_site_zone(string written, string zone, string expected)
    {
        var (post, problem) = Parse(PostText.Of("T", written), zone: zone);
        Assert.Null(problem);
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), post!.Published);
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture).Offset, post.Published.Offset);
    }

    [Fact]
    public void Handles_a_byte_order_mark_and_crlf_line_endings()
    {
        var text = PostText.Of("Windows", "2026-01-02", extra: "tags:\n  - a\n  - b").Replace("\n", "\r\n", StringComparison.Ordinal);
        var (post, problem) = TestSite.Parser().Parse("/c/win.md", [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(text)]);
        Assert.Null(problem);
        Assert.Equal("Windows", post!.Title);
        Assert.Equal(["a", "b"], post.Tags.ToArray());
    }

    [Theory]
    [InlineData("---\ntitle: \"unclosed\ndate: 2026-01-01\n---\n", 2, "(yaml)", "title: \"unclosed")]
    [InlineData("---\ntitle: [unclosed\ndate: 2026-01-01\n---\n", 4, "(yaml)", "")] // YamlDotNet throws InvalidOperationException here
    [InlineData("---\ntitle: a\ntitle: b\ndate: 2026-01-01\n---\n", 3, "(yaml)", "title: b")]
    [InlineData("---\ntitle: a\n  bad: indent\ndate: 2026-01-01\n---\n", 3, "(yaml)", "  bad: indent")]
    [InlineData("---\ndate: 2026-01-01\n---\nbody\n", 1, "title", "")]
    [InlineData("---\ntitle:\ndate: 2026-01-01\n---\nbody\n", 2, "title", "")]
    [InlineData("---\ntitle: \"  \"\ndate: 2026-01-01\n---\nbody\n", 2, "title", "  ")]
    [InlineData("---\ntitle: T\n---\nbody\n", 1, "date", "")]
    [InlineData("---\ntitle: T\nsummary: s\ndate: 2026-13-45\n---\n", 4, "date", "2026-13-45")]
    [InlineData("---\ntitle: T\ndate: 2026-01-01\nupdated: yesterday\n---\n", 4, "updated", "yesterday")]
    [InlineData("---\ntitle: T\ndate: 2026-01-01\ndraft: maybe\n---\n", 4, "draft", "maybe")]
    [InlineData("---\ntitle: T\ndate: 2026-01-01\nslug: Not A Slug\n---\n", 4, "slug", "Not A Slug")]
    [InlineData("---\ntitle: T\ndate: 2026-01-01\nid: not a uri\n---\n", 4, "id", "not a uri")]
    [InlineData("---\ntitle: T\ndate: 2026-01-01\ntags: [ok, \"!!\"]\n---\n", 4, "tags", "!!")]
    [InlineData("---\ntitle: [a, b]\ndate: 2026-01-01\n---\n", 2, "title", "")]
    [InlineData("no front matter\n", 1, "(front matter)", "no front matter")]
    [InlineData("---\ntitle: T\ndate: 2026-01-01\n", 1, "(front matter)", "---")]
    [InlineData("---\n- a\n- b\n---\n", 2, "(front matter)", "")]
    public void A_bad_file_is_reported_with_line_field_and_value(string text, int line, string field, string value)
    {
        var (post, problem) = Parse(text, "/content/bad.md");
        Assert.Null(post);
        Assert.NotNull(problem);
        Assert.Equal("/content/bad.md", problem.Path);
        Assert.Equal(line, problem.Line);
        Assert.Equal(field, problem.Field);
        if (value.Length > 0) Assert.Contains(value.Trim(), problem.Value, StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(problem.Message));
        Assert.StartsWith($"/content/bad.md:{line}: {field}: ", problem.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Bytes_that_are_not_utf8_are_reported_with_their_line_and_offset()
    {
        var bytes = Encoding.UTF8.GetBytes("---\ntitle: T\ndate: 2026-01-01\n---\nline five\nline six X here\n");
        var at = Array.IndexOf(bytes, (byte)'X');
        bytes[at] = 0xFF;
        var (post, problem) = TestSite.Parser().Parse("/c/latin1.md", bytes);
        Assert.Null(post);
        Assert.Equal(6, problem!.Line);
        Assert.Equal("(encoding)", problem.Field);
        Assert.Equal($"0xFF at byte {at}", problem.Value);
    }

    [Fact]
    public void A_problem_message_quotes_hostile_values_on_one_line()
    {
        var problem = new PostProblem("/p.md", 3, "date", "bad\nvalue \"x\"", "not a date");
        Assert.Equal("/p.md:3: date: not a date (value: \"bad\\u000avalue \\\"x\\\"\")", problem.ToString());
    }
}
