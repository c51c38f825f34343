using Blog.Feeds;

namespace Blog.Tests.Feeds;

public sealed class XmlTextTests
{
    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("a\u0000b\u0001c\u001Fd", "abcd")]
    [InlineData("tab\tlf\ncr\r", "tab\tlf\ncr\r")]
    [InlineData("c1\u0085\u009F\u007F", "c1")]
    [InlineData("non\uFFFE\uFFFFchars\uFDD0", "nonchars")]
    [InlineData("emoji 🚀 ok", "emoji 🚀 ok")]
    [InlineData("plane-16 non-char \uDBFF\uDFFF", "plane-16 non-char ")]
    [InlineData("]]> <script>", "]]> <script>")]
    public void Keeps_only_characters_xml_allows(string input, string expected) => Assert.Equal(expected, XmlText.Clean(input));

    // Built in code: attribute arguments cannot carry unpaired surrogates, the compiler replaces them.
    [Fact]
    public void Drops_unpaired_surrogates()
    {
        const char high = (char)0xD800, low = (char)0xDC00;
        Assert.Equal("lone  high", XmlText.Clean($"lone {high} high"));
        Assert.Equal("lone  low", XmlText.Clean($"lone {low} low"));
        Assert.Equal("reversed  pair", XmlText.Clean($"reversed {low}{high} pair"));
        Assert.Equal("end ", XmlText.Clean($"end {high}"));
    }

    [Fact]
    public void Returns_the_same_instance_when_nothing_changes()
    {
        var text = "nothing to remove";
        Assert.Same(text, XmlText.Clean(text));
    }
}
