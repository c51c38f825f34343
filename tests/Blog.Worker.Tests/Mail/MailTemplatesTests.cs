using AngleSharp.Html.Parser;
using Blog.Mail;
using Blog.Templates;

namespace Blog.Tests.Mail;

public sealed class MailTemplatesTests
{
    private static TemplateModel ConfirmModel() => new()
    {
        ["title"] = "Confirm <yours>",
        ["site_title"] = "Tom & Jerry's \"blog\"",
        ["site_url"] = new Uri("https://blog.example.com/"),
        ["email"] = "ann@example.com",
        ["confirm_url"] = new Uri("https://blog.example.com/confirm?token=c.1.2.abc"),
        ["expires_hours"] = 48,
        ["unsubscribe_url"] = new Uri("https://blog.example.com/unsubscribe?token=u.1.abc"),
    };

    private static string Dom(string html) => new HtmlParser().ParseDocument(html).DocumentElement.OuterHtml;

    [Fact]
    public void The_confirmation_inlined_once_is_the_same_document_as_one_inlined_per_message()
    {
        var set = TemplateSet.Load("");
        var templates = new MailTemplates(set);
        Assert.True(templates.InlinedOnce("confirm"));
        var (text, html) = templates.Render("confirm", ConfirmModel());

        var model = ConfirmModel();
        model["content_html"] = set.Render("confirm.html", model);
        var perMessage = TemplateCss.Inline(set.Render("layout.html", model));

        Assert.Equal(Dom(perMessage), Dom(html));
        Assert.DoesNotContain("<style", html, StringComparison.Ordinal);
        Assert.Contains("class=\"button\" href=\"https://blog.example.com/confirm?token=c.1.2.abc\" style=\"display: inline-block;", html, StringComparison.Ordinal);
        Assert.Contains("Tom &amp; Jerry&#x27;s &quot;blog&quot;", html, StringComparison.Ordinal);
        Assert.Contains("https://blog.example.com/confirm?token=c.1.2.abc", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Loops_inside_tables_and_values_inside_attributes_survive_the_inlining()
    {
        using var folder = new TempFolder();
        folder.Write("layout.html.sbn", "<html><head><style>td.post { color: #c00 } a { text-decoration: none }</style><title>{{ title }}</title></head>" +
            "<body>{{ content_html }}</body></html>");
        folder.Write("list.html.sbn", "<table>{{ for p in posts }}<tr><td class=\"post\"><a href=\"{{ p.url }}\">{{ p.title }}</a></td></tr>{{ end }}</table>");
        folder.Write("list.txt.sbn", "{{ for p in posts }}{{ p.title }}\n{{ end }}");
        var posts = new[] { ("One & <two>", "https://x.example/1"), ("Three", "https://x.example/3?a=1&b=2") }
            .Select(p => new TemplateModel { ["title"] = p.Item1, ["url"] = new Uri(p.Item2) }).ToList();
        var templates = new MailTemplates(TemplateSet.Load(folder.Path));
        Assert.True(templates.InlinedOnce("list"));
        var (text, html) = templates.Render("list", new TemplateModel { ["title"] = "T<", ["posts"] = posts });

        Assert.Equal("One & <two>\nThree\n", text);
        Assert.Contains("<title>T&lt;</title>", html, StringComparison.Ordinal);
        Assert.Equal(2, html.Split("<td class=\"post\" style=\"color: #c00\">").Length - 1);
        Assert.Contains("<a href=\"https://x.example/1\" style=\"text-decoration: none\">One &amp; &lt;two&gt;</a>", html, StringComparison.Ordinal);
        Assert.Contains("href=\"https://x.example/3?a=1&amp;b=2\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("zqsbn", html, StringComparison.Ordinal);
    }

    [Fact]
    public void A_template_with_Scriban_in_its_style_sheet_is_inlined_per_message_instead()
    {
        using var folder = new TempFolder();
        folder.Write("layout.html.sbn", "<html><head><style>p { color: {{ color }} }</style></head><body>{{ content_html }}</body></html>");
        folder.Write("note.html.sbn", "<p>{{ words }}</p>");
        folder.Write("note.txt.sbn", "{{ words }}");
        var templates = new MailTemplates(TemplateSet.Load(folder.Path));
        Assert.False(templates.InlinedOnce("note"));
        var (_, html) = templates.Render("note", new TemplateModel { ["color"] = "#0a0", ["words"] = "hi" });
        Assert.Contains("<p style=\"color: #0a0\">hi</p>", html, StringComparison.Ordinal);
    }
}
