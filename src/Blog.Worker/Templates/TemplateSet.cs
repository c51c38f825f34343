using Scriban;
using Scriban.Parsing;

namespace Blog.Templates;

/// <summary>
/// Every <c>*.sbn</c> template, parsed once at start: the shipped set in the program's <c>templates</c> folder, each
/// file replaced by the owner's copy when <c>Templates:Path</c> has one. A template that does not parse stops start-up
/// with its file, line and column. Rendering uses a fresh context each time, so renders can run in parallel.
/// </summary>
public sealed class TemplateSet
{
    private readonly Dictionary<string, Template> templates;
    private readonly Dictionary<string, (string Text, string File)> sources;

    private TemplateSet(Dictionary<string, Template> templates, Dictionary<string, (string Text, string File)> sources)
    {
        this.templates = templates;
        this.sources = sources;
    }

    public static string ShippedPath => System.IO.Path.Combine(AppContext.BaseDirectory, "templates");

    public IEnumerable<string> Names => templates.Keys.Order(StringComparer.Ordinal);

    /// <exception cref="TemplateException">A template is missing, unreadable or does not parse.</exception>
    public static TemplateSet Load(string ownerPath)
    {
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var root in new[] { ShippedPath, ownerPath }.Where(p => p.Length > 0))
        {
            if (!Directory.Exists(root))
            {
                if (root == ownerPath) throw new TemplateException($"Templates:Path \"{ownerPath}\" is not a folder.");
                continue;
            }
            foreach (var file in Directory.EnumerateFiles(root, "*.sbn", SearchOption.AllDirectories))
                files[System.IO.Path.GetRelativePath(root, file).Replace('\\', '/')[..^4]] = file;
        }

        var parsed = new Dictionary<string, Template>(StringComparer.Ordinal);
        var texts = new Dictionary<string, (string, string)>(StringComparer.Ordinal);
        var errors = new List<string>();
        foreach (var (name, file) in files.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            string text;
            try
            {
                text = File.ReadAllText(file);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                errors.Add($"{file}: cannot be read: {e.Message}");
                continue;
            }
            var template = Template.Parse(text, file);
            if (template.HasErrors)
            {
                errors.AddRange(template.Messages.Where(m => m.Type == ParserMessageType.Error)
                    .Select(m => $"{file}:{m.Span.Start.Line + 1}:{m.Span.Start.Column + 1}: {m.Message}"));
                continue;
            }
            parsed[name] = template;
            texts[name] = (text, file);
        }
        if (errors.Count > 0) throw new TemplateException("a template does not parse:\n  " + string.Join("\n  ", errors));
        return new TemplateSet(parsed, texts);
    }

    /// <summary>Fails at start, not at the first sign-up, when a template the program needs is missing.</summary>
    public void Require(IEnumerable<string> names)
    {
        var missing = names.Where(n => !templates.ContainsKey(n)).ToList();
        if (missing.Count > 0)
            throw new TemplateException($"missing template{(missing.Count > 1 ? "s" : "")}: {string.Join(", ", missing.Select(n => n + ".sbn"))} (looked in {ShippedPath})");
    }

    /// <summary>Renders <paramref name="name"/> (such as <c>web/subscribe.html</c>); HTML templates get escaped values.</summary>
    public string Render(string name, TemplateModel model)
    {
        if (!templates.TryGetValue(name, out var template)) throw new TemplateException($"no template {name}.sbn");
        return Render(template, model, html: name.EndsWith(".html", StringComparison.Ordinal));
    }

    /// <summary>A template's text and the file it came from, for a caller that derives another template from it.</summary>
    public (string Text, string File) Source(string name) =>
        sources.TryGetValue(name, out var source) ? source : throw new TemplateException($"no template {name}.sbn");

    /// <summary>Parses a template made from others' text (see <see cref="Source"/>); null when it does not parse.</summary>
    public static Template? Compile(string text, string file)
    {
        var template = Template.Parse(text, file);
        return template.HasErrors ? null : template;
    }

    public static string Render(Template template, TemplateModel model, bool html)
    {
        var context = new TemplateContext { StrictVariables = false, EnableRelaxedMemberAccess = true };
        context.PushGlobal(model.ToScript(html));
        return template.Render(context);
    }
}
