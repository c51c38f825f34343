using System.Globalization;
using System.Xml.Linq;
using Blog.Admin.Charts;

namespace Blog.Tests.Admin.Charts;

public sealed class SvgChartTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    private static ChartData Sample(string title = "Subscribers over time") => new("sample", title, "Subscribers by status from 2026-03-01 to 2026-03-04.", "Day",
        ["2026-03-01", "2026-03-02", "2026-03-03", "2026-03-04"],
        [new ChartSeries("Active", "active", [3, 7, 12, 40]), new ChartSeries("Bounced", "bounced", [0, 1, 1, 2])]);

    [Fact]
    public void A_line_chart_holds_each_seeded_number_and_plots_it_where_the_axis_says()
    {
        var svg = XElement.Parse(SvgChart.Render(Sample(), ChartKind.Line));

        var top = long.Parse(svg.Attribute("data-top")!.Value, CultureInfo.InvariantCulture);
        Assert.Equal(40, top);
        var active = svg.Elements(Svg + "polyline").Single(e => e.Attribute("data-series")!.Value == "active");
        Assert.Equal("3 7 12 40", active.Attribute("data-values")!.Value);
        var points = active.Attribute("points")!.Value.Split(' ')
            .Select(p => p.Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray()).ToArray();
        long[] seeded = [3, 7, 12, 40];
        Assert.Equal(seeded.Length, points.Length);
        for (var i = 0; i < seeded.Length; i++)
        {
            // Across: evenly from the left edge of the plot to its right edge; up: the value's share of the axis.
            Assert.Equal(SvgChart.Left + i * SvgChart.PlotWidth / 3, points[i][0], 0.05);
            Assert.Equal(SvgChart.Top + SvgChart.PlotHeight * (1 - seeded[i] / 40.0), points[i][1], 0.05);
        }
        // The largest value reaches the top of the plot, zero sits on its bottom.
        Assert.Equal(SvgChart.Top, points[3][1], 0.05);
        var bounced = svg.Elements(Svg + "polyline").Single(e => e.Attribute("data-series")!.Value == "bounced");
        Assert.StartsWith(FormattableString.Invariant($"{SvgChart.Left:0.#},{SvgChart.Top + SvgChart.PlotHeight:0.#} "), bounced.Attribute("points")!.Value, StringComparison.Ordinal);
    }

    [Fact]
    public void A_line_charts_newest_label_ends_at_the_plots_edge_instead_of_spilling_past_the_picture()
    {
        var svg = XElement.Parse(SvgChart.Render(Sample(), ChartKind.Line));
        var labels = svg.Descendants().Where(e => e.Name.LocalName == "text" && Sample().Labels.Contains(e.Value)).ToList();
        var last = labels.Single(e => e.Value == Sample().Labels[^1]);
        Assert.Equal("end", (string?)last.Attribute("text-anchor"));
        Assert.All(labels.Where(e => e != last), e => Assert.Equal("middle", (string?)e.Attribute("text-anchor")));
    }

    [Fact]
    public void The_axis_top_is_at_or_above_the_largest_value_and_splits_into_whole_ticks_whatever_the_value()
    {
        // A top of 3 made ticks of 3 / 4 = 0 and drew the grid forever: the overview of a small list never answered.
        foreach (var max in new long[] { 0, 1, 2, 3, 5, 7, 9, 13, 41, 99, 101, 999, 1_000_001 })
        {
            var top = SvgChart.AxisTop(max);
            Assert.True(top >= max && top > 0, $"top {top} for {max}");
            Assert.True(top % 4 == 0, $"top {top} for {max} does not split into 4 whole ticks");
        }
        var small = new ChartData("small", "Digest runs", "Per run.", "Run", ["weekly 1"], [new ChartSeries("Sent", "sent", [3])]);
        Assert.Contains("data-value=\"3\"", SvgChart.Render(small, ChartKind.Bars), StringComparison.Ordinal);
    }

    [Fact]
    public void A_bar_chart_draws_a_bar_per_value_as_tall_as_its_share_of_the_axis()
    {
        var chart = new ChartData("runs", "Digest runs", "Per run.", "Run", ["weekly 1", "weekly 2"],
            [new ChartSeries("Sent", "sent", [90, 180]), new ChartSeries("Failed", "failed", [10, 0])]);
        var svg = XElement.Parse(SvgChart.Render(chart, ChartKind.Bars));

        var top = long.Parse(svg.Attribute("data-top")!.Value, CultureInfo.InvariantCulture);
        Assert.Equal(200, top);
        var bars = svg.Elements(Svg + "rect").ToList();
        Assert.Equal(["sent:90", "failed:10", "sent:180", "failed:0"], bars.Select(b => $"{b.Attribute("data-series")!.Value}:{b.Attribute("data-value")!.Value}"));
        foreach (var bar in bars)
        {
            var value = long.Parse(bar.Attribute("data-value")!.Value, CultureInfo.InvariantCulture);
            var height = double.Parse(bar.Attribute("height")!.Value, CultureInfo.InvariantCulture);
            var y = double.Parse(bar.Attribute("y")!.Value, CultureInfo.InvariantCulture);
            Assert.Equal(value * SvgChart.PlotHeight / top, height, 0.1);
            Assert.Equal(SvgChart.Top + SvgChart.PlotHeight, y + height, 0.1);
        }
        // Each bar names itself for a pointer hovering it, and a screen reader.
        Assert.Equal("weekly 2: Sent 180", bars[2].Element(Svg + "title")!.Value);
    }

    [Fact]
    public void A_chart_is_an_image_named_by_its_title_and_described_by_its_range()
    {
        var svg = XElement.Parse(SvgChart.Render(Sample(), ChartKind.Line));

        Assert.Equal("img", svg.Attribute("role")!.Value);
        var ids = svg.Attribute("aria-labelledby")!.Value.Split(' ');
        Assert.Equal("Subscribers over time", svg.Elements(Svg + "title").Single(e => e.Attribute("id")!.Value == ids[0]).Value);
        Assert.Equal("Subscribers by status from 2026-03-01 to 2026-03-04.", svg.Elements(Svg + "desc").Single(e => e.Attribute("id")!.Value == ids[1]).Value);
    }

    [Fact]
    public void A_figure_repeats_the_numbers_in_a_table_under_the_chart()
    {
        var html = ChartFigure.Html(Sample(), ChartKind.Line);
        var figure = XElement.Parse(html);

        var table = figure.Element("details")!.Element("table")!;
        Assert.Equal(["Day", "Active", "Bounced"], table.Element("thead")!.Descendants("th").Select(th => th.Value));
        var rows = table.Element("tbody")!.Elements("tr").Select(tr => string.Join(" ", tr.Elements().Select(c => c.Value))).ToList();
        Assert.Equal(["2026-03-01 3 0", "2026-03-02 7 1", "2026-03-03 12 1", "2026-03-04 40 2"], rows);
        Assert.Equal(["Active", "Bounced"], figure.Descendants("ul").Single().Elements("li").Select(li => li.Value));
    }

    [Fact]
    public void Nothing_in_a_chart_needs_a_style_the_console_policy_would_refuse_and_its_text_is_encoded()
    {
        var hostile = Sample("<style>body{display:none}</style><script>alert(1)</script>");
        foreach (var kind in new[] { ChartKind.Line, ChartKind.Bars })
        {
            var html = ChartFigure.Html(hostile, kind);
            var figure = XElement.Parse(html);
            Assert.DoesNotContain(figure.DescendantsAndSelf(), e => e.Attribute("style") is not null);
            Assert.DoesNotContain(figure.DescendantsAndSelf(), e => e.Name.LocalName is "style" or "script");
            Assert.Contains("&lt;style&gt;", html, StringComparison.Ordinal);
            // Colours come from classes that charts.css sets, drawn in currentColor so they follow light and dark.
            Assert.All(figure.Descendants(Svg + "polyline").Concat(figure.Descendants(Svg + "rect")),
                e => Assert.Contains(e.Attribute("class")!.Value.Split(' '), c => c.StartsWith("s-", StringComparison.Ordinal)));
            Assert.DoesNotContain(figure.Descendants(), e => e.Attributes().Any(a => a.Name.LocalName is "fill" or "stroke" && a.Value is not ("currentColor" or "none")));
        }
    }

    [Fact]
    public void An_empty_chart_says_so_and_keys_that_would_break_out_of_a_class_are_refused()
    {
        var empty = new ChartData("empty", "Digest runs", "No run yet.", "Run", [], [new ChartSeries("Sent", "sent", [])]);
        Assert.Contains("No data yet", SvgChart.Render(empty, ChartKind.Bars), StringComparison.Ordinal);
        Assert.Contains("No data yet.", ChartFigure.Html(empty, ChartKind.Bars), StringComparison.Ordinal);

        var hostile = new ChartData("x", "t", "d", "Day", ["a"], [new ChartSeries("Sent", "sent\" onload=\"x", [1])]);
        Assert.Throws<ArgumentException>(() => SvgChart.Render(hostile, ChartKind.Line));
        var uneven = new ChartData("x", "t", "d", "Day", ["a", "b"], [new ChartSeries("Sent", "sent", [1])]);
        Assert.Throws<ArgumentException>(() => SvgChart.Render(uneven, ChartKind.Line));
    }
}
