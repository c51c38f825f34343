using System.Text.Encodings.Web;
using System.Text.Unicode;
using Scriban.Runtime;

namespace Blog.Templates;

/// <summary>
/// The values a template sees. Scriban does not escape, so for an HTML template every string is HTML-escaped here,
/// once, before the template runs: a template cannot forget to. Keys ending in <c>_html</c> carry markup this program
/// made itself and pass unchanged.
/// </summary>
public sealed class TemplateModel
{
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);
    private readonly Dictionary<string, object?> values = new(StringComparer.Ordinal);

    public object? this[string key]
    {
        get => values.GetValueOrDefault(key);
        set => values[key] = value;
    }

    /// <summary>A value escaped exactly as an HTML template would receive it.</summary>
    public static string Html(string value) => Encoder.Encode(value);

    internal ScriptObject ToScript(bool html)
    {
        var script = new ScriptObject();
        foreach (var (key, value) in values) script[key] = Convert(key, value, html);
        return script;
    }

    private static object? Convert(string key, object? value, bool html) => value switch
    {
        string text when html && !key.EndsWith("_html", StringComparison.Ordinal) => Encoder.Encode(text),
        Uri uri when html => Encoder.Encode(uri.AbsoluteUri),
        Uri uri => uri.AbsoluteUri,
        TemplateModel nested => nested.ToScript(html),
        System.Collections.IEnumerable list and not string => ToArray(list, html),
        _ => value,
    };

    private static ScriptArray ToArray(System.Collections.IEnumerable list, bool html)
    {
        var array = new ScriptArray();
        foreach (var item in list) array.Add(Convert("", item, html));
        return array;
    }
}
