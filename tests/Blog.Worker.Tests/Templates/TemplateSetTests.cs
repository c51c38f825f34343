using Blog.Templates;

namespace Blog.Tests.Templates;

public sealed class TemplateSetTests
{
    [Fact]
    public void Every_shipped_template_parses()
    {
        var set = TemplateSet.Load("");
        Assert.Contains("web/subscribe.html", set.Names);
        Assert.Contains("confirm.txt", set.Names);
        set.Require([.. Blog.Subscriptions.PageWriter.TemplateNames, .. Blog.Subscriptions.ConfirmationMail.TemplateNames]);
    }

    [Fact]
    public void In_html_every_value_is_escaped_once_and_only_underscore_html_values_pass_raw()
    {
        using var folder = new TempFolder();
        folder.Write("t.html.sbn", "<p title=\"{{ name }}\">{{ name }}</p>{{ for i in items }}<i>{{ i.text }}</i>{{ end }}{{ body_html }}<a href=\"{{ link }}\">x</a>");
        folder.Write("t.txt.sbn", "{{ name }}");
        var set = TemplateSet.Load(folder.Path);
        var model = new TemplateModel
        {
            ["name"] = "<script>\"Tom & Jerry's\"</script> ünï 🙂",
            ["items"] = new[] { new TemplateModel { ["text"] = "<b>" } },
            ["body_html"] = "<em>ours</em>",
            ["link"] = new Uri("https://example.com/a?b=1&c=\"2\""),
        };
        // Letters stay readable; characters outside the basic plane (the emoji) become references, which is still exact.
        Assert.Equal("<p title=\"&lt;script&gt;&quot;Tom &amp; Jerry&#x27;s&quot;&lt;/script&gt; ünï &#x1F642;\">&lt;script&gt;&quot;Tom &amp; Jerry&#x27;s&quot;&lt;/script&gt; ünï &#x1F642;</p>" +
            "<i>&lt;b&gt;</i><em>ours</em><a href=\"https://example.com/a?b=1&amp;c=%222%22\">x</a>", set.Render("t.html", model));
        Assert.Equal("<script>\"Tom & Jerry's\"</script> ünï 🙂", set.Render("t.txt", model));
    }

    [Fact]
    public void An_owner_template_replaces_the_shipped_one_of_the_same_name()
    {
        using var folder = new TempFolder();
        folder.Write("web/error.html.sbn", "<h1>Oops: {{ title }}</h1>");
        var set = TemplateSet.Load(folder.Path);
        Assert.Equal("<h1>Oops: Bad</h1>", set.Render("web/error.html", new TemplateModel { ["title"] = "Bad" }));
        Assert.Contains("web/subscribe.html", set.Names);
    }

    [Fact]
    public void A_template_that_does_not_parse_is_reported_with_file_line_and_column()
    {
        using var folder = new TempFolder();
        var file = folder.Write("web/subscribe.html.sbn", "<h1>ok</h1>\n<p>\n{{ for x in items }}\n{{ x }\n");
        var e = Assert.Throws<TemplateException>(() => TemplateSet.Load(folder.Path));
        Assert.Contains($"{file}:4:", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_folder_and_a_missing_template_are_named()
    {
        var e = Assert.Throws<TemplateException>(() => TemplateSet.Load("/nonexistent/templates"));
        Assert.Contains("Templates:Path \"/nonexistent/templates\" is not a folder", e.Message, StringComparison.Ordinal);
        var missing = Assert.Throws<TemplateException>(() => TemplateSet.Load("").Require(["web/nope.html"]));
        Assert.Contains("missing template: web/nope.html.sbn", missing.Message, StringComparison.Ordinal);
    }
}
