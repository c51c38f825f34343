using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace Blog.Posts;

/// <summary>
/// Reads front matter YAML into top-level fields. Nearly every post's front matter is flat <c>key: value</c> lines
/// and lists, which <see cref="SimpleFrontMatter"/> reads without a YAML library; anything else (or anything it is
/// unsure of) goes to YamlDotNet, which also words every error, so both paths give the same answers.
/// </summary>
public static class FrontMatterYaml
{
    /// <param name="yaml">The text between the fences; its first line is line 2 of the file.</param>
    /// <returns>The fields, or a problem whose path is left empty for the caller to fill in.</returns>
    public static (IReadOnlyDictionary<string, YamlField>? Fields, PostProblem? Error) Read(string yaml) =>
        SimpleFrontMatter.TryRead(yaml) is { } fields ? (fields, null) : ReadWithYamlDotNet(yaml);

    /// <summary>Deeper than this, a front matter is surely an attack on the parser (the model loads it recursively).</summary>
    public const int MaxDepth = 32;

    public static (IReadOnlyDictionary<string, YamlField>? Fields, PostProblem? Error) ReadWithYamlDotNet(string yaml)
    {
        YamlMappingNode root;
        try
        {
            if (Refuse(yaml) is { } refused) return (null, refused);
            var stream = new YamlStream();
            stream.Load(new StringReader(yaml));
            if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode map)
                return (null, new PostProblem("", 2, "(front matter)", Shorten(yaml), "the front matter must be a YAML mapping of fields such as 'title: ...'"));
            root = map;
        }
        catch (YamlException e)
        {
            return (null, new PostProblem("", (int)e.Start.Line + 1, "(yaml)", LineText(yaml, (int)e.Start.Line), "malformed YAML: " + Message(e)));
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner throws this, without a position, when the text ends inside an unclosed [ or {.
            return (null, new PostProblem("", yaml.Count(c => c == '\n') + 2, "(yaml)", "", "malformed YAML: the front matter ends inside an unclosed [ or {"));
        }

        var fields = new Dictionary<string, YamlField>(StringComparer.Ordinal);
        foreach (var (key, value) in root.Children)
        {
            if (key is not YamlScalarNode { Value: { } name }) continue;
            var line = (int)key.Start.Line + 1;
            fields[name] = value switch
            {
                YamlScalarNode s => new YamlField(line, s.Value ?? "", s.Style == ScalarStyle.Plain, null, null),
                YamlSequenceNode seq => new YamlField(line, null, false,
                    [.. seq.Children.Select(c => new YamlItem((int)c.Start.Line + 1, (c as YamlScalarNode)?.Value, c.ToString()))], null),
                _ => new YamlField(line, null, false, null, value.ToString()),
            };
        }
        return (fields, null);
    }

    /// <summary>
    /// Walks the events before anything is built: an alias repeats what its anchor names, so nested aliases grow a
    /// kilobyte into billions of nodes for whatever expands them. Front matter never needs either; nor deep nesting.
    /// </summary>
    private static PostProblem? Refuse(string yaml)
    {
        var parser = new Parser(new StringReader(yaml));
        var depth = 0;
        var expectKey = true;
        var field = "(front matter)";
        while (parser.MoveNext())
        {
            var current = parser.Current!;
            // The field a problem names is the top-level key the event is under.
            if (depth == 1 && expectKey && current is Scalar { Value: var key }) field = key;
            switch (current)
            {
                case AnchorAlias alias:
                    return Problem(alias, field, "*" + alias.Value.Value, "is a YAML alias; front matter takes no anchors or aliases");
                case NodeEvent { Anchor.IsEmpty: false } node:
                    return Problem(node, field, "&" + node.Anchor.Value, "is a YAML anchor; front matter takes no anchors or aliases");
                case MappingStart or SequenceStart:
                    if (++depth > MaxDepth) return Problem(current, field, "", $"is nested deeper than {MaxDepth} levels");
                    break;
                // In the top-level mapping, keys and values take turns, whether scalars or collections.
                case MappingEnd or SequenceEnd:
                    if (--depth == 1) expectKey = !expectKey;
                    break;
                case Scalar when depth == 1:
                    expectKey = !expectKey;
                    break;
            }
        }
        return null;

        static PostProblem Problem(ParsingEvent at, string field, string value, string message) =>
            new("", (int)at.Start.Line + 1, field, value, message);
    }

    private static string Message(YamlException e)
    {
        var message = e.InnerException?.Message ?? e.Message;
        // YamlDotNet prefixes its own "(Line: …)" positions; ours is already in front of the message.
        var paren = message.IndexOf("): ", StringComparison.Ordinal);
        return message.StartsWith("(Line", StringComparison.Ordinal) && paren > 0 ? message[(paren + 3)..] : message;
    }

    private static string LineText(string yaml, int oneBasedLine)
    {
        var lines = yaml.Split('\n');
        return oneBasedLine >= 1 && oneBasedLine <= lines.Length ? lines[oneBasedLine - 1].TrimEnd('\r') : "";
    }

    private static string Shorten(string text) => text.Length > 60 ? text[..60] : text.Trim();
}
