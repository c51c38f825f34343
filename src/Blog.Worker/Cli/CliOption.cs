namespace Blog.Cli;

/// <summary>A verb's option. One with a <see cref="ConfigKey"/> is a shorthand for that setting; one without keeps its value for the verb.</summary>
internal sealed record CliOption(string Name, string Help, string? ConfigKey = null, string? ValueName = null)
{
    public bool TakesValue => ValueName is not null;
}
