using Blog.Cli;

namespace Blog.Tests.Cli;

public sealed class CliInputTests
{
    [Fact]
    public void No_verb_means_run()
    {
        var input = CliInput.Parse([]);
        Assert.Empty(input.Result.Errors);
        Assert.Same(CommandTree.Root, input.Result.CommandResult.Command);
    }

    [Fact]
    public void Options_become_settings_and_section_keys_go_to_configuration()
    {
        var input = CliInput.Parse(["build", "--content", "posts", "--out=site", "--strict", "--Site:Url=https://x.example/", "--Feeds:ItemsPerFeed", "5"]);
        Assert.Empty(input.Result.Errors);
        Assert.Equal("build", input.Result.CommandResult.Command.Name);
        Assert.Equal("posts", input.Settings["Posts:ContentPath"]);
        Assert.Equal("site", input.Settings["Feeds:OutputPath"]);
        Assert.True(input.Result.GetValue(CliSymbols.Strict));
        Assert.Equal(["--Site:Url=https://x.example/", "--Feeds:ItemsPerFeed=5"], input.ConfigurationArgs.ToArray());
    }

    [Fact]
    public void An_override_without_a_value_says_how_to_give_one()
    {
        var e = Assert.Throws<CliUsageException>(() => CliInput.Parse(["build", "--Site:Url"]));
        Assert.Contains("setting '--Site:Url' needs a value", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "publish" }, "Unrecognized command or argument 'publish'")]
    [InlineData(new[] { "check", "--out", "x" }, "Unrecognized command or argument '--out'")]
    [InlineData(new[] { "build", "--content" }, "Required argument missing for option: '--content'")]
    [InlineData(new[] { "build", "--strict=yes" }, "'yes'")]
    [InlineData(new[] { "subscribers", "add" }, "Required argument 'EMAIL' missing")]
    [InlineData(new[] { "subscribers", "add", "--confirmd", "a@example.com" }, "Unrecognized option '--confirmd'")]
    [InlineData(new[] { "completion", "zsh" }, "'zsh'")]
    public void Mistakes_are_parse_errors_that_say_what_is_wrong(string[] args, string message)
    {
        var input = CliInput.Parse(args);
        Assert.Contains(input.Result.Errors, e => e.Message.Contains(message, StringComparison.Ordinal));
    }
}
