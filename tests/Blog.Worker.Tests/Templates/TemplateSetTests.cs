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

    [Fact]
    public void A_page_with_1001_tags_lists_every_one()
    {
        var tags = Enumerable.Range(0, 1001).Select(i => new TemplateModel { ["key"] = $"tag{i}", ["name"] = $"Tag {i}", ["checked"] = false }).ToList();
        var page = TemplateSet.Load("").Render("web/subscribe.html", new TemplateModel { ["tags"] = tags, ["cadences"] = Array.Empty<TemplateModel>() });
        Assert.Equal(1001, Occurrences(page, "name=\"tags\""));
        Assert.Contains("value=\"tag1000\"", page, StringComparison.Ordinal);
        Assert.EndsWith("</p>", page.TrimEnd(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_digest_of_more_than_1000_posts_lists_every_one_and_ends_with_its_footer()
    {
        var posts = Enumerable.Range(0, 1500).Select(i => new TemplateModel
        {
            ["title"] = $"Post {i}", ["url"] = new Uri($"https://blog.example.com/p{i}"), ["date"] = "1 March 2026", ["summary"] = "",
        }).ToList();
        var text = TemplateSet.Load("").Render("digest.txt", new TemplateModel { ["posts"] = posts, ["unsubscribe_url"] = "UNSUBSCRIBE" });
        Assert.Equal(1500, Occurrences(text, "https://blog.example.com/p"));
        Assert.Contains("Unsubscribe: UNSUBSCRIBE", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Output_longer_than_scribans_old_1_MiB_default_is_rendered_whole()
    {
        using var folder = new TempFolder();
        folder.Write("long.txt.sbn", "{{ for p in parts }}{{ p }}{{ end }}{{ one }}\nUnsubscribe: {{ unsubscribe_url }}");
        var set = TemplateSet.Load(folder.Path);
        var part = new string('a', 512 * 1024);
        // Three parts pass the old limit on the whole output; one value of 2 MiB passes the old limit on a single value.
        var one = new string('b', 2 * 1024 * 1024);
        var text = set.Render("long.txt", new TemplateModel { ["parts"] = new[] { part, part, part }, ["one"] = one, ["unsubscribe_url"] = "https://x/u" });
        Assert.Equal(3 * part.Length + one.Length + "\nUnsubscribe: https://x/u".Length, text.Length);
        Assert.EndsWith("\nUnsubscribe: https://x/u", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_template_that_loops_past_the_limit_fails_with_its_name_instead_of_stopping_short()
    {
        using var folder = new TempFolder();
        folder.Write("runaway.txt.sbn", $"{{{{ for i in 1..{TemplateSet.MaxLoopIterations + 1} }}}}x{{{{ end }}}}");
        folder.Write("endless.txt.sbn", "{{ while true }}x{{ end }}");
        var set = TemplateSet.Load(folder.Path);
        foreach (var name in new[] { "runaway.txt", "endless.txt" })
        {
            var e = Assert.Throws<TemplateException>(() => set.Render(name, new TemplateModel()));
            Assert.Contains($"{name}.sbn:1:", e.Message, StringComparison.Ordinal);
            Assert.Contains("loop", e.Message, StringComparison.OrdinalIgnoreCase);
            Assert.Contains(TemplateSet.MaxLoopIterations.ToString(System.Globalization.CultureInfo.InvariantCulture), e.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_template_whose_output_passes_the_limit_fails_with_its_name_instead_of_being_cut()
    {
        using var folder = new TempFolder();
        var chunk = new string('c', 64 * 1024);
        var times = TemplateSet.MaxOutputCharacters / chunk.Length + 1;
        folder.Write("huge.txt.sbn", $"{{{{ for i in 1..{times} }}}}{{{{ chunk }}}}{{{{ end }}}}");
        var set = TemplateSet.Load(folder.Path);
        var e = Assert.Throws<TemplateException>(() => set.Render("huge.txt", new TemplateModel { ["chunk"] = chunk }));
        Assert.Contains("huge.txt.sbn", e.Message, StringComparison.Ordinal);
        Assert.Contains("output", e.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void A_single_value_longer_than_the_output_limit_fails_instead_of_being_cut()
    {
        using var folder = new TempFolder();
        folder.Write("value.txt.sbn", "{{ body }}");
        var set = TemplateSet.Load(folder.Path);
        var e = Assert.Throws<TemplateException>(() => set.Render("value.txt", new TemplateModel { ["body"] = new string('d', TemplateSet.MaxOutputCharacters + 1) }));
        Assert.Contains("value.txt.sbn", e.Message, StringComparison.Ordinal);
    }

    private static int Occurrences(string text, string what)
    {
        var count = 0;
        for (var at = text.IndexOf(what, StringComparison.Ordinal); at >= 0; at = text.IndexOf(what, at + what.Length, StringComparison.Ordinal)) count++;
        return count;
    }
}
