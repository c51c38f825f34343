using System.CommandLine;
using System.CommandLine.Parsing;

namespace Blog.Cli;

/// <summary>
/// Every option and argument of the <c>blog</c> command, once each. An option in <see cref="Settings"/> is a
/// shorthand for that setting; the others keep their value for the verb that reads it.
/// </summary>
internal static class CliSymbols
{
    public static readonly Option<string> Content = Value("--content", "DIR", "the folder of Markdown posts (setting Posts:ContentPath)");
    public static readonly Option<string> Out = Value("--out", "DIR", "the folder the feeds are written to (setting Feeds:OutputPath)");
    public static readonly Option<string> Urls = Value("--urls", "URL", "where the HTTP endpoint listens, ';' between several (setting Http:Urls)");
    public static readonly Option<string> Data = Value("--data", "DIR", "the data folder: database, signing key, mail pickup folder (setting Storage:DataPath)");

    public static readonly Option<bool> Strict = new("--strict") { Description = "exit with status 1 when any post was skipped" };
    public static readonly Option<string> Tags = Value("--tags", "LIST", "only posts with these tags, ',' between several (default: every post)");
    public static readonly Option<string> Status = Value("--status", "STATUS", "only subscribers with this status: pending, active, unsubscribed, bounced or complained");
    public static readonly Option<string> Cadence = Value("--cadence", "NAME", "the schedule, such as daily or weekly (default: Subscriptions:DefaultCadence)");
    public static readonly Option<bool> Confirmed = new("--confirmed") { Description = "consent is already on record: active at once, no confirmation mail" };

    public static readonly Option<string> To = Value("--to", "EMAIL", "the subscriber whose digest to show");
    public static readonly Option<string> OutFile = Value("--out", "FILE", "write the message to FILE (an .eml file) instead of standard output");
    public static readonly Option<string> OneCadence = Value("--cadence", "NAME", "only this cadence (default: every cadence)");
    public static readonly Option<string> Target = Value("--to", "CONNECTION",
        "the PostgreSQL database to copy into, empty: \"Host=…;Database=…;Username=…\" (or BLOG_MIGRATE_TO)");

    public static readonly Argument<string> Email = Positional("EMAIL", "the subscriber's address");
    public static readonly Argument<string> CsvFile = Positional("FILE", "the CSV file; '-' for standard input or output");
    public static readonly Argument<string> Run = Positional("RUN", "the run, as 'blog digest status' names it");
    public static readonly Argument<string> UserName = Positional("NAME", "the console account's name: 1 to 64 ASCII letters, digits, '.', '-', '_' or '@'");
    public static readonly Argument<string> OnOff = Positional("on|off", "'on' or 'off'").AcceptOnlyFromAmong("on", "off");
    public static readonly Argument<string> Shell = new("SHELL") { Description = "the shell: bash" };

    /// <summary>The options that stand for a setting, with its key; their values win over every other source.</summary>
    public static readonly ImmutableArray<(Option<string> Option, string Key)> Settings =
        [(Content, "Posts:ContentPath"), (Out, "Feeds:OutputPath"), (Urls, "Http:Urls"), (Data, "Storage:DataPath")];

    /// <remarks>
    /// Given twice, the last value wins, as it did before this parser: scripts and wrappers append their own
    /// <c>--content</c> or <c>--data</c> after a default. Each occurrence still takes exactly one word.
    /// </remarks>
    private static Option<string> Value(string name, string valueName, string description) =>
        new(name)
        {
            Description = description,
            HelpName = valueName,
            Arity = ArgumentArity.OneOrMore,
            AllowMultipleArgumentsPerToken = false,
            CustomParser = static result => result.Tokens[^1].Value,
        };

    private static Argument<string> Positional(string name, string description)
    {
        var argument = new Argument<string>(name) { Description = description };
        // The parser takes any word for an argument; a mistyped option would otherwise become an address or a file name.
        argument.Validators.Add(RejectOptionLookalike);
        return argument;
    }

    private static void RejectOptionLookalike(ArgumentResult result)
    {
        foreach (var token in result.Tokens)
            if (token.Value.Length > 1 && token.Value.StartsWith('-'))
                result.AddError($"Unrecognized option '{token.Value}'.");
    }
}
