namespace Blog.Cli;

/// <summary>
/// A parsed command line: the verb, its flags, option values and positional arguments, the settings its options
/// stand for, and the <c>--Section:Key=value</c> overrides that go to .NET configuration unchanged. A group name alone
/// (<c>blog subscribers</c>) asks for the group's help.
/// </summary>
internal sealed record CliArguments(CliVerb? Verb, bool Help, ImmutableHashSet<string> Flags,
    ImmutableDictionary<string, string?> Settings, ImmutableArray<string> ConfigurationArgs)
{
    public string? HelpGroup { get; init; }

    public ImmutableDictionary<string, string> Values { get; init; } = ImmutableDictionary<string, string>.Empty;

    public ImmutableArray<string> Positionals { get; init; } = [];

    public string? Value(CliOption option) => Values.GetValueOrDefault(option.Name);

    public bool Has(CliOption option) => Flags.Contains(option.Name);

    public static CliArguments Parse(IReadOnlyList<string> args)
    {
        var i = 0;
        var verb = CliVerb.Run;
        if (args.Count > 0 && args[0] is "--help" or "-h" or "help")
            return new CliArguments(null, true, [], ImmutableDictionary<string, string?>.Empty, []);
        if (args.Count > 0 && CliVerb.Groups.Contains(args[0]))
        {
            var group = args[0];
            if (args.Count == 1 || args[1] is "--help" or "-h" or "help")
                return new CliArguments(null, true, [], ImmutableDictionary<string, string?>.Empty, []) { HelpGroup = group };
            var names = string.Join(", ", CliVerb.InGroup(group).Select(v => v.Name[(group.Length + 1)..]));
            verb = CliVerb.All.FirstOrDefault(v => v.Name == $"{group} {args[1]}")
                ?? throw new CliUsageException($"unknown command '{group} {args[1]}'. The {group} commands are: {names}.");
            i = 2;
        }
        else if (args.Count > 0 && !args[0].StartsWith('-'))
        {
            verb = CliVerb.All.FirstOrDefault(v => v.Name == args[0])
                ?? throw new CliUsageException($"unknown command '{args[0]}'. The commands are: {string.Join(", ", CliVerb.All.Select(v => v.Name.Split(' ')[0]).Distinct())}.");
            i = 1;
        }

        var help = false;
        var flags = ImmutableHashSet.CreateBuilder<string>();
        var settings = ImmutableDictionary.CreateBuilder<string, string?>(StringComparer.OrdinalIgnoreCase);
        var values = ImmutableDictionary.CreateBuilder<string, string>();
        var positionals = ImmutableArray.CreateBuilder<string>();
        var configuration = ImmutableArray.CreateBuilder<string>();
        for (; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg == "-" || !arg.StartsWith('-'))
            {
                if (positionals.Count >= verb.Positional.Length)
                    throw new CliUsageException($"'{verb.Name}' takes {(verb.Positional.IsEmpty ? "no arguments" : string.Join(' ', verb.Positional))}, but was also given '{arg}'.");
                positionals.Add(arg);
                continue;
            }
            var eq = arg.IndexOf('=', StringComparison.Ordinal);
            var name = eq < 0 ? arg : arg[..eq];
            if (name is "--help" or "-h")
            {
                help = true;
                continue;
            }
            if (name.StartsWith("--", StringComparison.Ordinal) && name.Contains(':', StringComparison.Ordinal))
            {
                configuration.Add(arg);
                if (eq < 0)
                {
                    if (i + 1 >= args.Count) throw new CliUsageException($"setting '{name}' needs a value: {name}=VALUE");
                    configuration.Add(args[++i]);
                }
                continue;
            }
            var option = verb.Options.FirstOrDefault(o => o.Name == name)
                ?? throw new CliUsageException($"'{verb.Name}' has no option '{name}'. See 'blog {verb.Name} --help'.");
            if (!option.TakesValue)
            {
                if (eq >= 0) throw new CliUsageException($"option '{name}' takes no value.");
                flags.Add(option.Name);
                continue;
            }
            string value;
            if (eq >= 0) value = arg[(eq + 1)..];
            else if (i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal)) value = args[++i];
            else throw new CliUsageException($"option '{name}' needs a value: {name} {option.ValueName}");
            if (option.ConfigKey is { } key) settings[key] = value;
            else values[option.Name] = value;
        }
        if (!help && positionals.Count < verb.Positional.Length)
            throw new CliUsageException($"'{verb.Name}' needs {string.Join(' ', verb.Positional.Skip(positionals.Count))}: blog {verb.Name} {string.Join(' ', verb.Positional)}");
        return new CliArguments(verb, help, flags.ToImmutable(), settings.ToImmutable(), configuration.ToImmutable())
        {
            Values = values.ToImmutable(),
            Positionals = positionals.ToImmutable(),
        };
    }
}
