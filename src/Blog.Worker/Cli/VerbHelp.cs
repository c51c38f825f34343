using System.CommandLine;
using System.CommandLine.Invocation;

namespace Blog.Cli;

/// <summary>
/// The parser's help (the summary, usage, arguments, options and subcommands), then what a verb does in full and how
/// settings are given, which the parser's help has no place for.
/// </summary>
internal sealed class VerbHelp(CommandLineAction standard) : SynchronousCommandLineAction
{
    private readonly Dictionary<Command, string> details = [];

    public override bool ClearsParseErrors => true;

    /// <summary>Shown under the parser's help of <paramref name="command"/>.</summary>
    public void Describe(Command command, string text) => details[command] = text;

    public override int Invoke(ParseResult parseResult)
    {
        var code = standard is SynchronousCommandLineAction synchronous ? synchronous.Invoke(parseResult) : BlogCli.Ok;
        var output = parseResult.InvocationConfiguration.Output;
        if (details.TryGetValue(parseResult.CommandResult.Command, out var text))
        {
            output.WriteLine("Details:");
            foreach (var line in text.Split('\n')) output.WriteLine($"  {line}");
            output.WriteLine();
        }
        output.WriteLine("Settings:");
        output.WriteLine("  Every setting of appsettings.json can be given as --Section:Key=value (or --Section:Key value),");
        output.WriteLine("  or as the environment variable Section__Key; the options above win over both.");
        return code;
    }
}
