using System.Globalization;
using Scriban;
using Scriban.Parsing;
using Scriban.Syntax;

namespace Blog.Templates;

/// <summary>
/// Every <c>*.sbn</c> template, parsed once at start: the shipped set in the program's <c>templates</c> folder, each
/// file replaced by the owner's copy when <c>Templates:Path</c> has one. A template that does not parse stops start-up
/// with its file, line and column. Rendering uses a fresh context each time, so renders can run in parallel. Scriban's
/// limits are set here, generously, and reaching one is a <see cref="TemplateException"/>: a render either returns the
/// whole text or fails.
/// </summary>
public sealed class TemplateSet
{
    /// <summary>
    /// Iterations of all loops of one render together (Scriban's default is 1,000). What we loop over: every tag of
    /// the site on <c>/subscribe</c> and <c>/preferences</c>, and the posts of a digest (at most Digests:MaxPosts,
    /// 50 by default) with their tags. A site of 10,000 tags, or a digest of 10,000 posts of 10 tags each, uses less
    /// than half of it; a runaway loop in an owner's template ends within a second.
    /// </summary>
    public const int MaxLoopIterations = 250_000;

    /// <summary>
    /// Characters one render may write, and one value may have (Scriban's default is 1 MiB, and it cuts the text
    /// there without a word). A digest of 50 posts or a page of a thousand tags is well under 1 MiB; 16 Mi characters
    /// is more than most mail servers take in one message (10 to 25 MB), and bounds what one render holds in memory.
    /// </summary>
    public const int MaxOutputCharacters = 16 * 1024 * 1024;

    /// <summary>Calls of a template function within itself; our templates define none (Scriban's default).</summary>
    public const int MaxRecursion = 100;

    /// <summary>How deep a value is followed when printed whole; our models are two levels deep (Scriban's default).</summary>
    public const int MaxObjectDepth = 20;

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
    /// <exception cref="TemplateException">The template failed, or went past a limit: never a text cut short.</exception>
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

    /// <exception cref="TemplateException">The template failed, or went past a limit: never a text cut short.</exception>
    public static string Render(Template template, TemplateModel model, bool html)
    {
        var context = new TemplateContext
        {
            StrictVariables = false,
            EnableRelaxedMemberAccess = true,
            LoopLimit = MaxLoopIterations,
            RecursiveLimit = MaxRecursion,
            ObjectRecursionLimit = MaxObjectDepth,
            LimitToString = MaxOutputCharacters,
            OutputLimit = MaxOutputCharacters,
            // Scriban's default is to cut and carry on: a mail would lose its unsubscribe footer and nobody would know.
            OnStringLimit = ScriptLimitBehavior.Throw,
            OnOutputLimit = ScriptLimitBehavior.Throw,
        };
        context.PushGlobal(model.ToScript(html));
        try
        {
            return template.Render(context);
        }
        catch (ScriptRuntimeException e)
        {
            // Scriban names the limit (LoopLimit, OutputLimit, LimitToString, recursive depth) in its own words.
            var limit = e.OriginalMessage.Contains("limit", StringComparison.OrdinalIgnoreCase) || e.OriginalMessage.Contains("too deeply nested", StringComparison.Ordinal)
                ? string.Create(CultureInfo.InvariantCulture,
                    $" (a render may loop {MaxLoopIterations:N0} times and write {MaxOutputCharacters:N0} characters; past a limit it stops with this error rather than show or send a text cut short)")
                : "";
            throw new TemplateException($"{template.SourceFilePath}:{e.Span.Start.Line + 1}:{e.Span.Start.Column + 1}: cannot be rendered: {e.OriginalMessage}{limit}", e);
        }
    }
}
