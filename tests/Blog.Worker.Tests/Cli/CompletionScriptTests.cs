namespace Blog.Tests.Cli;

/// <summary><c>blog completion bash</c>, sourced into a real bash that completes with the real <c>blog</c> binary.</summary>
public sealed class CompletionScriptTests
{
    /// <summary>The apphost the build puts beside the tests, as a user's shell would find it on the PATH.</summary>
    private static readonly string Blog = Path.Combine(AppContext.BaseDirectory, "blog");

    [Theory]
    [InlineData("", "build", "check", "run", "subscribers", "digest", "storage", "completion")]
    [InlineData("b", "build")]
    [InlineData("subscribers ", "add", "list", "remove", "import", "export", "forget")]
    [InlineData("subscribers im", "import")]
    [InlineData("build --", "--content", "--out", "--strict", "--help")]
    [InlineData("digest send --c", "--cadence", "--content")]
    public async Task Bash_completes_verbs_and_options_by_asking_blog(string typed, params string[] expected)
    {
        var completions = await CompleteAsync(typed);
        foreach (var word in expected) Assert.Contains(word, completions);
        // What bash offers continues the word being typed; the Windows spellings (/h, /?) are no use in bash.
        Assert.All(completions, c => Assert.StartsWith(typed.Split(' ')[^1], c, StringComparison.Ordinal));
        Assert.DoesNotContain(completions, c => c.StartsWith('/'));
    }

    [Fact]
    public async Task The_suggest_directive_names_the_verbs()
    {
        var (exit, stdout, _) = await BlogCommand.RunAsync("[suggest:12]", "subscribers ");
        Assert.Equal(0, exit);
        Assert.Contains("forget", stdout.Split('\n'));
    }

    [Fact]
    public async Task Only_bash_is_offered()
    {
        var (exit, _, stderr) = await BlogCommand.RunAsync("completion", "zsh");
        Assert.Equal(2, exit);
        Assert.Contains("'zsh'", stderr, StringComparison.Ordinal);
    }

    /// <summary>What bash offers after <paramref name="typed"/>, as Tab at the end of <c>blog TYPED</c> would.</summary>
    private static async Task<string[]> CompleteAsync(string typed)
    {
        var (exit, script, _) = await BlogCommand.RunAsync("completion", "bash");
        Assert.Equal(0, exit);
        // bash's own word split of the line; the last word is the one being completed, empty after a space.
        var program = script + """
            COMP_LINE="$1 $2"
            COMP_POINT=${#COMP_LINE}
            read -ra COMP_WORDS <<< "$COMP_LINE"
            [[ "$COMP_LINE" == *" " ]] && COMP_WORDS+=("")
            COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
            complete -p blog >/dev/null || exit 3
            _blog_complete
            printf '%s\n' "${COMPREPLY[@]}"
            """;
        var (code, output) = ExternalTool.Run("bash", ["-c", program, "bash", Blog, typed]);
        Assert.True(code == 0, $"bash exit {code}: {output}");
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }
}
