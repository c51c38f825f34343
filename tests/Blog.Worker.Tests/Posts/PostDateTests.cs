using Blog.Posts;

namespace Blog.Tests.Posts;

public sealed class PostDateTests
{
    [Theory]
    [InlineData("2026-03-29T02:30", "2026-03-29T03:30:00+02:00")] // skipped by the spring-forward change in Berlin
    [InlineData("2026-10-25T02:30", "2026-10-25T02:30:00+01:00")] // ambiguous: standard time, as TimeZoneInfo reads it
    public void Daylight_saving_edges_are_resolved_not_rejected(string text, string expected)
    {
        Assert.True(PostDate.TryParse(text, TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin"), out var value));
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("March 1, 2026")]
    [InlineData("01/03/2026")]
    [InlineData("2026-02-30")]
    [InlineData("2026-03-01T25:00")]
    public void Rejects_what_is_not_iso_8601(string text) =>
        Assert.False(PostDate.TryParse(text, TimeZoneInfo.Utc, out _));
}
