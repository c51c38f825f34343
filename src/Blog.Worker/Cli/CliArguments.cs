namespace Blog.Cli;

/// <summary>
/// A parsed command line: the verb, its flags, the settings its options stand for, and the
/// <c>--Section:Key=value</c> overrides that go to .NET configuration unchanged.
/// </summary>
internal sealed record CliArguments(CliVerb? Verb, bool Help, ImmutableHashSet<string> Flags,
    ImmutableDictionary<string, string?> Settings, ImmutableArray<string> ConfigurationArgs)
{
    public static CliArguments Parse(IReadOnlyList<string> args)
    {
        var i = 0;
        var verb = CliVerb.Run;
        if (args.Count > 0 && args[0] is "--help" or "-h" or "help")
        {
            return new CliArguments(null, true, [], ImmutableDictionary<string, string?>.Empty, []);
        }
        if (args.Count > 0 && !args[0].StartsWith('-'))
        {
            verb = CliVerb.All.FirstOrDefault(v => v.Name == args[0])
                ?? throw new CliUsageException($"unknown command '{args[0]}'. The commands are: {string.Join(", ", CliVerb.All.Select(v => v.Name))}.");
            i = 1;
        }

        var help = false;
        var flags = ImmutableHashSet.CreateBuilder<string>();
        var settings = ImmutableDictionary.CreateBuilder<string, string?>(StringComparer.OrdinalIgnoreCase);
        var configuration = ImmutableArray.CreateBuilder<string>();
        for (; i < args.Count; i++)
        {
            var arg = args[i];
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
            settings[option.ConfigKey!] = value;
        }
        return new CliArguments(verb, help, flags.ToImmutable(), settings.ToImmutable(), configuration.ToImmutable());
    }
}
