using Blog.Cli;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Blog.Tests.Cli;

/// <summary>The whole command in-process: real settings files, real folders, the exit codes a script sees.</summary>
public sealed class BlogCliTests
{
    private static Task<(int Exit, string Out, string Err)> Blog(params string[] args) => BlogCommand.RunAsync(args);

    [Fact]
    public async Task Build_reports_each_broken_post_with_file_line_field_and_value_and_still_publishes_the_rest()
    {
        using var folder = new TempFolder();
        folder.Write("posts/good.md", PostText.Of("Good", "2026-01-01"));
        var bad = folder.Write("posts/bad.md", "---\ntitle: Bad\ndate: 2026-02-30\n---\n");
        folder.Write("posts/dup.md", PostText.Of("Dup", "2026-01-03", extra: "slug: good"));
        folder.WriteBytes("posts/latin1.md", [.. "---\ntitle: Caf"u8, 0xE9, .. "\ndate: 2026-01-01\n---\n"u8]);

        var (exit, stdout, stderr) = await Blog("build", "--content", folder.Combine("posts"), "--out", folder.Combine("out"));

        Assert.Equal(0, exit);
        Assert.Contains($"skipped {bad}:3: date: not an ISO 8601 date", stderr, StringComparison.Ordinal);
        Assert.Contains("(value: \"2026-02-30\")", stderr, StringComparison.Ordinal);
        Assert.Contains($"{folder.Combine("posts", "dup.md")}:4: slug: the slug is already used by {folder.Combine("posts", "good.md")} (value: \"good\")", stderr, StringComparison.Ordinal);
        Assert.Contains($"{folder.Combine("posts", "latin1.md")}:2: (encoding): the file is not valid UTF-8", stderr, StringComparison.Ordinal);
        Assert.Contains("from 1 published posts", stdout, StringComparison.Ordinal);
        Assert.Contains("3 skipped", stdout, StringComparison.Ordinal);
        FeedJudges.AssertJsonFeed(folder.Combine("out", "feed.json"), 1);
    }

    [Fact]
    public async Task An_option_given_twice_takes_the_last_value_as_it_always_did()
    {
        // Scripts and wrappers append their own --content or --data after a default; the old parser let the last win.
        using var folder = new TempFolder();
        folder.Write("posts/good.md", PostText.Of("Good", "2026-01-01"));

        var (exit, stdout, stderr) = await Blog("check", "--content", folder.Combine("nowhere"), "--content", folder.Combine("posts"));

        Assert.True(exit == 0, stderr);
        Assert.Contains($"checked 1 post files in {folder.Combine("posts")}", stdout, StringComparison.Ordinal);
        // One occurrence still takes one value: a second word is not swallowed as the option's.
        var (strayExit, _, strayErr) = await Blog("check", "--content", folder.Combine("posts"), "stray");
        Assert.Equal(BlogCli.Usage, strayExit);
        Assert.Contains("stray", strayErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Strict_build_and_check_fail_when_a_post_was_skipped()
    {
        using var folder = new TempFolder();
        folder.Write("posts/bad.md", "---\ntitle: [\n---\n");
        Assert.Equal(1, (await Blog("build", "--strict", "--content", folder.Combine("posts"), "--out", folder.Combine("out"))).Exit);

        var (exit, stdout, stderr) = await Blog("check", "--content", folder.Combine("posts"));
        Assert.Equal(1, exit);
        Assert.Contains("bad.md:3: (yaml): malformed YAML", stderr, StringComparison.Ordinal);
        Assert.Contains("1 problem(s)", stdout, StringComparison.Ordinal);

        folder.Write("posts/bad.md", PostText.Of("Fixed", "2026-01-01"));
        Assert.Equal(0, (await Blog("check", "--content", folder.Combine("posts"))).Exit);
    }

    [Fact]
    public async Task A_missing_content_folder_is_a_clear_error_not_a_stack_trace()
    {
        using var folder = new TempFolder();
        var (exit, _, stderr) = await Blog("build", "--content", folder.Combine("nope"), "--out", folder.Combine("out"));
        Assert.Equal(2, exit);
        Assert.Contains($"Posts:ContentPath: the content folder \"{folder.Combine("nope")}\" does not exist", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_output_folder_that_cannot_be_written_is_a_clear_error()
    {
        using var folder = new TempFolder();
        folder.Write("posts/a.md", PostText.Of("A", "2026-01-01"));
        var blocker = folder.Write("blocker", "a file where a folder should be");
        var (exit, _, stderr) = await Blog("build", "--content", folder.Combine("posts"), "--out", Path.Combine(blocker, "out"));
        Assert.Equal(2, exit);
        Assert.Contains($"blog: cannot write the feeds to {Path.Combine(blocker, "out")}:", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_post_folder_that_cannot_be_read_is_named_as_such_not_blamed_on_the_output()
    {
        using var folder = new TempFolder();
        var posts = folder.Combine("posts");
        Directory.CreateDirectory(posts);
        var publisher = TestSite.Publisher(posts, folder.Combine("out"), TimeProvider.System);
        // Gone after the settings were validated: an unmount, a move.
        Directory.Delete(posts);

        var stderr = new StringWriter();
        Assert.Equal(2, BuildCommand.Run(publisher, strict: false, TextWriter.Null, stderr, CancellationToken.None));
        Assert.Contains($"blog: cannot read the posts in {posts}:", stderr.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("cannot write", stderr.ToString(), StringComparison.Ordinal);

        stderr = new StringWriter();
        Assert.Equal(2, CheckCommand.Run(TestSite.Posts(posts), TextWriter.Null, stderr, CancellationToken.None));
        Assert.Contains($"blog: cannot read the posts in {posts}:", stderr.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--Site:Url=not a url", "Site:Url must be an absolute http or https URL, but is \"not a url\"")]
    [InlineData("--Site:TimeZone=Mars/Olympus", "Site:TimeZone \"Mars/Olympus\" is not a known IANA time zone")]
    [InlineData("--Feeds:ItemsPerFeed=0", "Feeds:ItemsPerFeed must be between 1 and 10000, but is 0")]
    [InlineData("--Feeds:ItemsPerFeed=many", "Feeds:ItemsPerFeed")]
    [InlineData("--Feeds:Hubs:0=not-a-url", "Feeds:Hubs:0 must be an absolute http or https URL, but is \"not-a-url\"")]
    [InlineData("--Posts:Debounce=-00:00:01", "Posts:Debounce must be between 00:00:00 and 00:01:00")]
    public async Task A_bad_setting_stops_start_up_with_a_message_naming_the_key(string setting, string message)
    {
        using var folder = new TempFolder();
        Directory.CreateDirectory(folder.Combine("posts"));
        var (exit, _, stderr) = await Blog("build", "--content", folder.Combine("posts"), "--out", folder.Combine("out"), setting);
        Assert.Equal(2, exit);
        Assert.Contains(message, stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(folder.Combine("out")));
    }

    [Theory]
    [InlineData("--urls=ftp://127.0.0.1:21", "Http:Urls: \"ftp://127.0.0.1:21\" is not an http or https URL")]
    [InlineData("--Http:MaxAge=-00:00:01", "Http:MaxAge must be between")]
    public async Task A_bad_service_setting_stops_blog_run_before_it_listens(string setting, string message)
    {
        using var folder = new TempFolder();
        Directory.CreateDirectory(folder.Combine("posts"));
        var (exit, _, stderr) = await Blog("run", "--content", folder.Combine("posts"), "--out", folder.Combine("out"), "--data", folder.Combine("data"), setting);
        Assert.Equal(2, exit);
        Assert.Contains(message, stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Settings_on_the_command_line_override_appsettings_json()
    {
        using var folder = new TempFolder();
        for (var i = 1; i <= 4; i++) folder.Write($"posts/p{i}.md", PostText.Of($"P{i}", $"2026-01-0{i}"));
        var (exit, _, _) = await Blog("build", "--content", folder.Combine("posts"), "--out", folder.Combine("out"),
            "--Feeds:ItemsPerFeed=2", "--Site:Url=https://other.example/blog/", "--Feeds:ArchivePageSize=0");
        Assert.Equal(0, exit);
        var feed = FeedJudges.AssertJsonFeed(folder.Combine("out", "feed.json"), 2);
        Assert.Equal("https://other.example/blog/feed.json", feed.GetProperty("feed_url").GetString());
        Assert.StartsWith("https://other.example/blog/posts/p4/", feed.GetProperty("items")[0].GetProperty("url").GetString(), StringComparison.Ordinal);
        Assert.False(Directory.Exists(folder.Combine("out", "archive")));
    }

    [Theory]
    [InlineData("--help", "Usage:\n  blog [command] [options]")]
    [InlineData("help", "Commands:")]
    [InlineData("build --help", "Usage:\n  blog build [options]")]
    [InlineData("check -h", "--content <DIR>")]
    [InlineData("run --help", "--urls <URL>")]
    [InlineData("subscribers", "Usage:\n  blog subscribers [command] [options]")]
    [InlineData("digest help", "preview")]
    [InlineData("storage migrate --help", "--to <CONNECTION>")]
    public async Task Every_command_has_help(string args, string expected)
    {
        var (exit, stdout, _) = await Blog(args.Split(' '));
        Assert.Equal(0, exit);
        Assert.Contains(expected, stdout, StringComparison.Ordinal);
        Assert.Contains("--Section:Key=value", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_verb_and_group_answers_help_with_its_usage_and_what_it_does()
    {
        foreach (var (path, command) in Commands(CommandTree.Root, "blog"))
        {
            var (exit, stdout, stderr) = await Blog([.. path.Split(' ').Skip(1), "--help"]);
            Assert.True(exit == 0, $"{path} --help: exit {exit}: {stderr}");
            Assert.Contains($"Usage:\n  {path}", stdout, StringComparison.Ordinal);
            // The start only: help wraps a long summary at its width.
            Assert.Contains(command.Description![..Math.Min(30, command.Description!.Length)], stdout, StringComparison.Ordinal);
        }
    }

    private static IEnumerable<(string Path, System.CommandLine.Command Command)> Commands(System.CommandLine.Command command, string path) =>
        command.Subcommands.SelectMany(c => Commands(c, $"{path} {c.Name}").Prepend(($"{path} {c.Name}", c)));

    [Fact]
    public async Task An_unknown_option_is_a_usage_error()
    {
        var (exit, _, stderr) = await Blog("build", "--verbose");
        Assert.Equal(2, exit);
        Assert.Contains("Unrecognized command or argument '--verbose'.", stderr, StringComparison.Ordinal);
        Assert.Contains("See 'blog build --help'.", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("biuld", "build")]
    [InlineData("build --stirct", "--strict")]
    [InlineData("subscribers ad x@example.com", "add")]
    [InlineData("digest send --cadense daily", "--cadence")]
    public async Task A_mistyped_verb_or_option_is_a_usage_error_that_suggests_the_right_one(string args, string suggestion)
    {
        var (exit, stdout, stderr) = await Blog(args.Split(' '));
        Assert.Equal(2, exit);
        Assert.Equal("", stdout);
        Assert.Contains("Did you mean", stderr, StringComparison.Ordinal);
        Assert.Contains($"\n{suggestion}\n", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_mistyped_option_where_an_argument_goes_is_not_taken_for_the_argument()
    {
        using var folder = new TempFolder();
        var (exit, _, stderr) = await Blog("subscribers", "add", "--confirmd", "--data", folder.Combine("data"));
        Assert.Equal(2, exit);
        Assert.Contains("Unrecognized option '--confirmd'.", stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(folder.Combine("data")));
    }

    [Fact]
    public void A_settings_failure_is_known_by_its_type_not_by_its_words()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Count"] = "many" }).Build();
        var binder = Assert.Throws<InvalidOperationException>(() => configuration.Get<Counted>());
        Assert.Equal([binder.Message], BlogCli.SettingsFailures(binder));
        Assert.Equal(["a", "b"], BlogCli.SettingsFailures(new AggregateException(new OptionsValidationException("x", typeof(Counted), ["a", "b"]))));

        // A bug whose message happens to contain the binder's words is not a settings problem, and keeps its stack trace.
        Assert.Empty(BlogCli.SettingsFailures(new InvalidOperationException("Failed to convert configuration value at 'Count': the state is broken")));
    }

    private sealed class Counted
    {
        public int Count { get; set; }
    }
}
