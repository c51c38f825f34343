using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Blog.Posts;

/// <summary>
/// Turns one post file's bytes into a <see cref="Post"/>, or into the <see cref="PostProblem"/> that explains
/// why it cannot be published. A pure function of its inputs.
/// </summary>
public sealed class PostParser(TimeZoneInfo zone, string siteHost)
{
    public (Post? Post, PostProblem? Problem) Parse(string path, ReadOnlySpan<byte> file)
    {
        if (!FrontMatter.TrySplit(file, out var split, out var p))
            return (null, new PostProblem(path, p.Line, p.Field, p.Value, p.Message));

        var yaml = split.Yaml(file);
        YamlMappingNode root;
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(yaml));
            if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode map)
                return (null, new PostProblem(path, 2, "(front matter)", Shorten(yaml), "the front matter must be a YAML mapping of fields such as 'title: ...'"));
            root = map;
        }
        catch (YamlException e)
        {
            // The YAML starts on the file's second line.
            var line = (int)e.Start.Line + 1;
            return (null, new PostProblem(path, line, "(yaml)", LineText(yaml, (int)e.Start.Line), "malformed YAML: " + YamlMessage(e)));
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner throws this, without a position, when the text ends inside an unclosed [ or {.
            var closingFence = yaml.Count(c => c == '\n') + 2;
            return (null, new PostProblem(path, closingFence, "(yaml)", "", "malformed YAML: the front matter ends inside an unclosed [ or {"));
        }

        return new Fields(path, root).ToPost(zone, siteHost);
    }

    private sealed class Fields(string path, YamlMappingNode root)
    {
        private PostProblem? problem;

        public (Post?, PostProblem?) ToPost(TimeZoneInfo zone, string siteHost)
        {
            var title = Scalar("title", required: true);
            var date = Date("date", required: true, zone);
            var updated = Date("updated", required: false, zone);
            var summary = Scalar("summary", required: false);
            var tags = Tags();
            var slugValue = Scalar("slug", required: false);
            var idValue = Scalar("id", required: false);
            var draft = Bool("draft");
            if (problem is not null) return (null, problem);

            var slug = slugValue ?? Slug.FromFileName(path);
            if (!Slug.IsValid(slug))
                return Fail(slugValue is null ? 1 : LineOf("slug"), "slug", slugValue ?? System.IO.Path.GetFileName(path),
                    slugValue is null
                        ? "the file name gives no usable slug; set 'slug:' to lower-case letters, digits and hyphens"
                        : $"a slug is lower-case letters, digits and single hyphens, for example \"{Slug.From(slugValue)}\"");

            string id;
            if (idValue is not null)
            {
                if (!Uri.TryCreate(idValue, UriKind.Absolute, out _))
                    return Fail(LineOf("id"), "id", idValue, "an id must be an absolute URI, for example tag:example.com,2026-03-01:my-post");
                id = idValue;
            }
            else
            {
                // RFC 4151 tag URI: stable across renames of the file once published, so long as the first slug is kept.
                id = $"tag:{siteHost},{date!.Value:yyyy-MM-dd}:{slug}";
            }

            var post = new Post(path, slug, id, title!, date!.Value, updated ?? date!.Value, summary, tags, draft)
            {
                SlugLine = slugValue is null ? 1 : LineOf("slug"),
                IdLine = idValue is null ? 1 : LineOf("id"),
                HasExplicitId = idValue is not null,
            };
            return (post, null);
        }

        private (Post?, PostProblem?) Fail(int line, string field, string value, string message) =>
            (null, new PostProblem(path, line, field, value, message));

        private YamlNode? Node(string key) =>
            root.Children.TryGetValue(new YamlScalarNode(key), out var node) ? node : null;

        private int LineOf(string key)
        {
            foreach (var (k, _) in root.Children)
                if (k is YamlScalarNode s && s.Value == key) return (int)k.Start.Line + 1;
            return 1;
        }

        private void Report(YamlNode? node, string field, string value, string message)
        {
            problem ??= new PostProblem(path, node is null ? 1 : (int)node.Start.Line + 1, field, value, message);
        }

        private string? Scalar(string key, bool required)
        {
            var node = Node(key);
            if (node is null or YamlScalarNode { Style: ScalarStyle.Plain, Value: null or "" or "~" or "null" })
            {
                if (required) Report(node, key, "", $"'{key}' is required");
                return null;
            }
            if (node is not YamlScalarNode scalar)
            {
                Report(node, key, node.ToString(), $"'{key}' must be a single value, not a list or mapping");
                return null;
            }
            var text = scalar.Value!.Trim();
            if (required && text.Length == 0) Report(node, key, scalar.Value!, $"'{key}' must not be empty");
            return text.Length == 0 ? null : text;
        }

        private DateTimeOffset? Date(string key, bool required, TimeZoneInfo zone)
        {
            var text = Scalar(key, required);
            if (text is null) return null;
            if (PostDate.TryParse(text, zone, out var value)) return value;
            Report(Node(key), key, text, "not an ISO 8601 date such as 2026-03-01 or 2026-03-01T09:30:00+01:00");
            return null;
        }

        private bool Bool(string key)
        {
            var text = Scalar(key, required: false);
            switch (text?.ToLowerInvariant())
            {
                case null or "false" or "no" or "off": return false;
                case "true" or "yes" or "on": return true;
                default:
                    Report(Node(key), key, text, $"'{key}' must be true or false");
                    return false;
            }
        }

        private ImmutableArray<string> Tags()
        {
            var node = Node("tags");
            IEnumerable<YamlNode> items = node switch
            {
                null => [],
                YamlScalarNode { Value: null or "" } => [],
                YamlScalarNode s => [s],
                YamlSequenceNode seq => seq.Children,
                _ => [node],
            };
            var tags = ImmutableArray.CreateBuilder<string>();
            foreach (var item in items)
            {
                if (item is not YamlScalarNode { Value: { } raw })
                {
                    Report(item, "tags", item.ToString(), "each tag must be a plain word or phrase");
                    continue;
                }
                var tag = raw.Trim();
                if (Slug.From(tag).Length == 0)
                    Report(item, "tags", raw, "a tag needs at least one letter or digit");
                else if (!tags.Contains(tag, StringComparer.OrdinalIgnoreCase))
                    tags.Add(tag);
            }
            return tags.ToImmutable();
        }
    }

    private static string YamlMessage(YamlException e)
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
