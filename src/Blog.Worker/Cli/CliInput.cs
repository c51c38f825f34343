using System.Collections.Frozen;
using System.CommandLine;
using System.Runtime.CompilerServices;

namespace Blog.Cli;

/// <summary>
/// One command line: the parser's result for the verb, its options and arguments, and the <c>--Section:Key=value</c>
/// overrides, which are any setting at all and so go to .NET configuration unchanged instead of through the parser.
/// </summary>
internal sealed class CliInput
{
    // The verbs' actions are handed the parser's result only; this finds the overrides that came with it.
    private static readonly ConditionalWeakTable<ParseResult, CliInput> Inputs = [];

    private static readonly Lazy<FrozenSet<string>> OptionNames = new(() => AllOptionNames(CommandTree.Root).ToFrozenSet(StringComparer.Ordinal));

    private CliInput(ParseResult result, ImmutableArray<string> configurationArgs)
    {
        Result = result;
        ConfigurationArgs = configurationArgs;
    }

    public ParseResult Result { get; }

    /// <summary>The overrides, each as one <c>--Section:Key=value</c>, for the configuration's command-line source.</summary>
    public ImmutableArray<string> ConfigurationArgs { get; }

    /// <summary>The settings that options such as <c>--content</c> stand for, by key.</summary>
    public ImmutableDictionary<string, string?> Settings => CliSymbols.Settings
        .Where(s => Result.GetResult(s.Option) is not null)
        .ToImmutableDictionary(s => s.Key, s => Result.GetValue(s.Option), StringComparer.OrdinalIgnoreCase);

    public static CliInput Of(ParseResult result) =>
        Inputs.TryGetValue(result, out var input) ? input : throw new InvalidOperationException("the command line was not parsed by CliInput.Parse");

    /// <exception cref="CliUsageException">An override has no value.</exception>
    public static CliInput Parse(IReadOnlyList<string> args)
    {
        var rest = new List<string>(args.Count);
        var configuration = ImmutableArray.CreateBuilder<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!IsOverride(arg))
            {
                rest.Add(arg);
                continue;
            }
            if (arg.Contains('=', StringComparison.Ordinal)) configuration.Add(arg);
            else if (i + 1 < args.Count) configuration.Add($"{arg}={args[++i]}");
            else throw new CliUsageException($"setting '{arg}' needs a value: {arg}=VALUE");
        }
        // 'blog help' and 'blog subscribers help' read as a word where --help is the option.
        if (rest is ["help"] || (rest is [var group, "help"] && CommandTree.Root.Subcommands.Any(c => c.Name == group && c.Subcommands.Count > 0)))
            rest[^1] = "--help";

        var input = new CliInput(CommandTree.Root.Parse(rest), configuration.ToImmutable());
        Inputs.AddOrUpdate(input.Result, input);
        return input;
    }

    /// <summary>
    /// <c>--Section:Key</c> with or without <c>=value</c>. The parser's own <c>--content:DIR</c> spelling of an option's
    /// value is left to it, and so is a mistyped option, which it reports with a suggestion.
    /// </summary>
    private static bool IsOverride(string arg)
    {
        if (!arg.StartsWith("--", StringComparison.Ordinal)) return false;
        var eq = arg.IndexOf('=', StringComparison.Ordinal);
        var name = eq < 0 ? arg : arg[..eq];
        var colon = name.IndexOf(':', StringComparison.Ordinal);
        return colon > 2 && !OptionNames.Value.Contains(name[..colon]);
    }

    private static IEnumerable<string> AllOptionNames(Command command) =>
        command.Options.SelectMany(o => o.Aliases.Prepend(o.Name)).Concat(command.Subcommands.SelectMany(AllOptionNames));
}
