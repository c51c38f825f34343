using Blog.Posts;

namespace Blog.Tests.Posts;

public sealed class SlugTests
{
    [Theory]
    [InlineData("Hello, World!", "hello-world")]
    [InlineData("  C# & .NET  ", "c-net")]
    [InlineData("LLM-Ops", "llm-ops")]
    [InlineData("日本語 テキスト", "日本語-テキスト")]
    [InlineData("!!", "")]
    public void Makes_url_safe_names(string text, string expected) => Assert.Equal(expected, Slug.From(text));

    [Theory]
    [InlineData("/x/2026-03-01-my-post.md", "my-post")]
    [InlineData("/x/My Post.md", "my-post")]
    [InlineData("/x/2026-03-01.md", "2026-03-01")]
    public void Takes_the_slug_from_a_file_name_without_its_date(string path, string expected) =>
        Assert.Equal(expected, Slug.FromFileName(path));
}
