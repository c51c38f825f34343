namespace Blog.Posts;

/// <summary>
/// One top-level front matter field as the parser needs it: a scalar (raw text, as written), a list of scalars,
/// or something nested it will reject. Lines are file lines.
/// </summary>
public sealed record YamlField(int Line, string? Scalar, bool Plain, ImmutableArray<YamlItem>? Items, string? Nested)
{
    /// <summary>A plain empty value, <c>~</c> or <c>null</c>: YAML's null, which counts as absent.</summary>
    public bool IsNull => Plain && Scalar is "" or "~" or "null" or "Null" or "NULL";
}

/// <summary>A list entry; <see cref="Value"/> is null when the entry is not a scalar.</summary>
public readonly record struct YamlItem(int Line, string? Value, string Text);
