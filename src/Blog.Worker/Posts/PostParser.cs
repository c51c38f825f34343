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

        var (fields, error) = FrontMatterYaml.Read(split.Yaml(file));
        if (error is not null) return (null, error with { Path = path });
        return new Fields(path, fields!).ToPost(zone, siteHost);
    }

    private sealed class Fields(string path, IReadOnlyDictionary<string, YamlField> fields)
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

            var slugLine = fields.GetValueOrDefault("slug")?.Line ?? 1;
            var slug = slugValue ?? Slug.FromFileName(path);
            if (!Slug.IsValid(slug))
                return Fail(slugValue is null ? 1 : slugLine, "slug", slugValue ?? System.IO.Path.GetFileName(path),
                    slugValue is null
                        ? "the file name gives no usable slug; set 'slug:' to lower-case letters, digits and hyphens"
                        : $"a slug is lower-case letters, digits and single hyphens, for example \"{Slug.From(slugValue)}\"");

            var idLine = fields.GetValueOrDefault("id")?.Line ?? 1;
            if (idValue is not null && !Uri.TryCreate(idValue, UriKind.Absolute, out _))
                return Fail(idLine, "id", idValue, "an id must be an absolute URI, for example tag:example.com,2026-03-01:my-post");
            // RFC 4151 tag URI: stable across renames of the file once published, so long as the first slug is kept.
            var id = idValue ?? $"tag:{siteHost},{date!.Value:yyyy-MM-dd}:{slug}";

            var post = new Post(path, slug, id, title!, date!.Value, updated ?? date!.Value, summary, tags, draft)
            {
                SlugLine = slugLine,
                IdLine = idLine,
                HasExplicitId = idValue is not null,
            };
            return (post, null);
        }

        private (Post?, PostProblem?) Fail(int line, string field, string value, string message) =>
            (null, new PostProblem(path, line, field, value, message));

        private void Report(int line, string field, string value, string message) =>
            problem ??= new PostProblem(path, line, field, value, message);

        private string? Scalar(string key, bool required)
        {
            var field = fields.GetValueOrDefault(key);
            if (field is null || field.IsNull)
            {
                if (required) Report(field?.Line ?? 1, key, "", $"'{key}' is required");
                return null;
            }
            if (field.Scalar is null)
            {
                Report(field.Line, key, field.Nested ?? "[list]", $"'{key}' must be a single value, not a list or mapping");
                return null;
            }
            var text = field.Scalar.Trim();
            if (required && text.Length == 0) Report(field.Line, key, field.Scalar, $"'{key}' must not be empty");
            return text.Length == 0 ? null : text;
        }

        private DateTimeOffset? Date(string key, bool required, TimeZoneInfo zone)
        {
            var text = Scalar(key, required);
            if (text is null) return null;
            if (PostDate.TryParse(text, zone, out var value)) return value;
            Report(fields[key].Line, key, text, "not an ISO 8601 date such as 2026-03-01 or 2026-03-01T09:30:00+01:00");
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
                    Report(fields[key].Line, key, text, $"'{key}' must be true or false");
                    return false;
            }
        }

        private ImmutableArray<string> Tags()
        {
            var field = fields.GetValueOrDefault("tags");
            if (field is null || field.IsNull) return [];
            if (field.Nested is not null)
            {
                Report(field.Line, "tags", field.Nested, "'tags' must be a list such as [rag, evals]");
                return [];
            }
            IEnumerable<YamlItem> items = field.Items ?? [new YamlItem(field.Line, field.Scalar, field.Scalar!)];
            var tags = ImmutableArray.CreateBuilder<string>();
            foreach (var item in items)
            {
                if (item.Value is null)
                {
                    Report(item.Line, "tags", item.Text, "each tag must be a plain word or phrase");
                    continue;
                }
                var tag = item.Value.Trim();
                if (Slug.From(tag).Length == 0)
                    Report(item.Line, "tags", item.Value, "a tag needs at least one letter or digit");
                else if (!tags.Contains(tag, StringComparer.OrdinalIgnoreCase))
                    tags.Add(tag);
            }
            return tags.ToImmutable();
        }
    }
}
