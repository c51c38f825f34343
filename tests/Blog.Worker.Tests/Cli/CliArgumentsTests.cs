using Blog.Cli;

namespace Blog.Tests.Cli;

public sealed class CliArgumentsTests
{
    [Fact]
    public void No_verb_means_run()
    {
        var parsed = CliArguments.Parse([]);
        Assert.Equal("run", parsed.Verb!.Name);
        Assert.False(parsed.Help);
    }

    [Fact]
    public void Options_become_settings_and_section_keys_go_to_configuration()
    {
        var parsed = CliArguments.Parse(["build", "--content", "posts", "--out=site", "--strict", "--Site:Url=https://x.example/", "--Feeds:ItemsPerFeed", "5"]);
        Assert.Equal("build", parsed.Verb!.Name);
        Assert.Equal("posts", parsed.Settings["Posts:ContentPath"]);
        Assert.Equal("site", parsed.Settings["Feeds:OutputPath"]);
        Assert.Contains("--strict", parsed.Flags);
        Assert.Equal(["--Site:Url=https://x.example/", "--Feeds:ItemsPerFeed", "5"], parsed.ConfigurationArgs.ToArray());
    }

    [Theory]
    [InlineData(new[] { "publish" }, "unknown command 'publish'")]
    [InlineData(new[] { "check", "--out", "x" }, "'check' has no option '--out'")]
    [InlineData(new[] { "build", "--content" }, "option '--content' needs a value")]
    [InlineData(new[] { "build", "--strict=yes" }, "option '--strict' takes no value")]
    [InlineData(new[] { "build", "--Site:Url" }, "setting '--Site:Url' needs a value")]
    public void Mistakes_get_a_message_that_says_what_to_do(string[] args, string message)
    {
        var e = Assert.Throws<CliUsageException>(() => CliArguments.Parse(args));
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }
}
