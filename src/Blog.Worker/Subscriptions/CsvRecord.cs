namespace Blog.Subscriptions;

/// <summary>One CSV record and the line it starts on (a quoted field may span lines).</summary>
public sealed record CsvRecord(int Line, ImmutableArray<string> Fields);
