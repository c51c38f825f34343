using Blog.Posts;

namespace Blog.Tests.Posts;

public sealed class MarkdownRendererTests
{
    private static readonly Uri PostUri = new("https://blog.example.com/posts/my-post/");

    [Theory]
    [InlineData("[a](other/)", "https://blog.example.com/posts/my-post/other/")]
    [InlineData("[a](../sibling/)", "https://blog.example.com/posts/sibling/")]
    [InlineData("[a](/about/)", "https://blog.example.com/about/")]
    [InlineData("![i](img/x.png)", "https://blog.example.com/posts/my-post/img/x.png")]
    [InlineData("[a](#section)", "https://blog.example.com/posts/my-post/#section")]
    [InlineData("[a][ref]\n\n[ref]: ../refd/", "https://blog.example.com/posts/refd/")]
    [InlineData("[a](https://other.example/x?y=1&z=2)", "https://other.example/x?y=1&amp;z=2")]
    [InlineData("[a](mailto:me@example.com)", "mailto:me@example.com")]
    [InlineData("<https://auto.example/>", "https://auto.example/")]
    public void Links_and_images_become_absolute(string markdown, string expected)
    {
        var html = MarkdownRenderer.Render(markdown, PostUri).Html;
        Assert.Contains($"=\"{expected}\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Renders_tables_and_takes_an_excerpt_from_the_first_paragraph()
    {
        var body = MarkdownRenderer.Render("# Title\n\nFirst *paragraph* with `code`.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n", PostUri);
        Assert.Contains("<table>", body.Html, StringComparison.Ordinal);
        Assert.Equal("First paragraph with code.", body.Excerpt);
    }
}
