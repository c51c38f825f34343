using System.Text;
using System.Xml;
using Blog.Feeds;
using Blog.Posts;

namespace Blog.Tests.Feeds;

public sealed class FeedContentTests
{
    [Theory]
    [InlineData("plain text")]
    [InlineData("<p>a &amp; b</p>\n<script>x</script>")]
    [InlineData("]]> and ]]> again, <![CDATA[ x ]]>")]
    [InlineData("crlf\r\nlines\rand lone cr\r")]
    [InlineData("quotes \" and ' stay")]
    [InlineData("emoji 🚀 日本語 مرحبا")]
    [InlineData("&&&<<<>>>")]
    [InlineData("")]
    public void Escapes_exactly_as_the_feed_writers_XmlWriter_does(string text)
    {
        var expected = new StringBuilder();
        using (var writer = XmlWriter.Create(expected, new XmlWriterSettings
        {
            ConformanceLevel = ConformanceLevel.Fragment,
            NewLineChars = "\n",
            NewLineHandling = NewLineHandling.Replace,
        }))
        {
            writer.WriteString(text);
        }
        Assert.Equal(expected.ToString(), FeedContent.EscapeText(text));
    }

    [Fact]
    public void Cleans_what_xml_cannot_carry_before_escaping()
    {
        var content = FeedContent.From(new RenderedBody("<p>bell\u0007 & ]]></p>", "ex\u0001cerpt"));
        Assert.Equal("&lt;p&gt;bell &amp; ]]&gt;&lt;/p&gt;", content.XmlEscaped);
        Assert.Equal("excerpt", content.Excerpt);
        Assert.Equal("<p>bell & ]]></p>", content.Json.Value);
    }
}
