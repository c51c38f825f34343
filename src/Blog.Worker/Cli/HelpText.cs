using System.Text;

namespace Blog.Cli;

internal static class HelpText
{
    public static string Overview()
    {
        var sb = new StringBuilder();
        sb.AppendLine("blog: feeds (RSS, Atom, JSON Feed) and email subscriptions for a folder of Markdown posts.");
        sb.AppendLine();
        sb.AppendLine("usage: blog [COMMAND] [OPTIONS] [--Section:Key=value ...]");
        sb.AppendLine();
        sb.AppendLine("commands:");
        foreach (var verb in CliVerb.All) sb.AppendLine($"  {Usage(verb),-30}{verb.Summary}");
        sb.AppendLine();
        sb.AppendLine("Every setting of appsettings.json can be given as --Section:Key=value or as the");
        sb.AppendLine("environment variable Section__Key. 'blog COMMAND --help' describes a command.");
        return sb.ToString();
    }

    public static string ForGroup(string group)
    {
        var sb = new StringBuilder();
        sb.AppendLine($"usage: blog {group} COMMAND [OPTIONS]");
        sb.AppendLine();
        sb.AppendLine("commands:");
        foreach (var verb in CliVerb.InGroup(group)) sb.AppendLine($"  {Usage(verb)[(group.Length + 1)..],-18}{verb.Summary}");
        sb.AppendLine();
        sb.AppendLine($"'blog {group} COMMAND --help' describes a command.");
        return sb.ToString();
    }

    public static string For(CliVerb verb)
    {
        var sb = new StringBuilder();
        var options = string.Join(' ', verb.Options.Select(o => o.TakesValue ? $"[{o.Name} {o.ValueName}]" : $"[{o.Name}]"));
        sb.AppendLine($"usage: {string.Join(' ', new[] { "blog", Usage(verb), options }.Where(p => p.Length > 0))} [--Section:Key=value ...]");
        sb.AppendLine();
        sb.AppendLine(verb.Description);
        sb.AppendLine();
        sb.AppendLine("options:");
        foreach (var option in verb.Options)
            sb.AppendLine($"  {(option.TakesValue ? $"{option.Name} {option.ValueName}" : option.Name),-16}{option.Help}");
        sb.AppendLine($"  {"--help",-16}show this help");
        return sb.ToString();
    }

    private static string Usage(CliVerb verb) => string.Join(' ', verb.Positional.Prepend(verb.Name));
}
