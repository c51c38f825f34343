namespace Blog.Templates;

/// <summary>Templates a feature renders; each feature registers its list, and start-up fails if one is missing.</summary>
public sealed record RequiredTemplates(ImmutableArray<string> Names);
