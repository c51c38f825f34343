using System.Globalization;
using System.Text;

namespace Blog.Admin.Charts;

/// <summary>
/// Draws a chart as inline SVG for the console, on the server, so it shows without JavaScript. No <c>style</c>
/// attribute and no <c>&lt;style&gt;</c> element: the console's CSP takes styles only from its own files. So every
/// mark is drawn in <c>currentColor</c> and carries a class (<c>s-active</c>…) that charts.css gives a colour in the
/// light and the dark scheme; axes and text inherit the page's text colour. Each mark holds its numbers in data
/// attributes, and the figure around it (<see cref="ChartFigure"/>) repeats them in a table.
/// </summary>
internal static class SvgChart
{
    public const int Width = 720;
    public const int Height = 240;
    public const double Left = 56;
    public const double Right = 12;
    public const double Top = 12;
    public const double Bottom = 28;
    public const double PlotWidth = Width - Left - Right;
    public const double PlotHeight = Height - Top - Bottom;

    // More x labels than this overlap at the chart's width; the table has them all.
    private const int MaxXLabels = 7;
    private const int YTicks = 4;

    public static string Render(ChartData chart, ChartKind kind)
    {
        CheckToken(chart.Id, nameof(chart.Id));
        foreach (var series in chart.Series)
        {
            CheckToken(series.Key, nameof(series.Key));
            if (series.Values.Length != chart.Labels.Length)
                throw new ArgumentException($"series \"{series.Name}\" has {series.Values.Length} values for {chart.Labels.Length} labels", nameof(chart));
        }
        var top = AxisTop(chart.Max);
        var svg = new StringBuilder(4096);
        svg.Append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 ").Append(Width).Append(' ').Append(Height)
            .Append("\" role=\"img\" aria-labelledby=\"").Append(chart.Id).Append("-title ").Append(chart.Id).Append("-desc\" data-top=\"")
            .Append(Number(top)).Append("\">")
            .Append("<title id=\"").Append(chart.Id).Append("-title\">").Append(AdminPage.Encode(chart.Title)).Append("</title>")
            .Append("<desc id=\"").Append(chart.Id).Append("-desc\">").Append(AdminPage.Encode(chart.Description)).Append("</desc>");
        Axes(svg, chart, top, kind);
        if (chart.Labels.IsEmpty)
        {
            svg.Append("<text x=\"").Append(Coordinate(Left + PlotWidth / 2)).Append("\" y=\"").Append(Coordinate(Top + PlotHeight / 2))
                .Append("\" text-anchor=\"middle\" fill=\"currentColor\" font-size=\"13\">No data yet</text>");
        }
        else if (kind == ChartKind.Line)
        {
            Lines(svg, chart, top);
        }
        else
        {
            Bars(svg, chart, top);
        }
        return svg.Append("</svg>").ToString();
    }

    /// <summary>
    /// The value at the top of the y axis: four whole ticks of a round step (1, 2 or 5 times a power of ten), so the
    /// top is at or above <paramref name="max"/> and every tick is a whole number.
    /// </summary>
    public static long AxisTop(long max) => TickStep(max) * YTicks;

    /// <summary>Where the <paramref name="index"/>th of <paramref name="count"/> points of a line is drawn across.</summary>
    public static double X(int index, int count) => count <= 1 ? Left + PlotWidth / 2 : Left + index * PlotWidth / (count - 1);

    /// <summary>Where <paramref name="value"/> is drawn up the chart, with <paramref name="top"/> at the top of the axis.</summary>
    public static double Y(long value, long top) => Top + PlotHeight - value * PlotHeight / top;

    /// <summary>A coordinate as the SVG holds it: one decimal, whatever the culture.</summary>
    public static string Coordinate(double value) => Math.Round(value, 1).ToString("0.#", CultureInfo.InvariantCulture);

    private static long TickStep(long max)
    {
        var least = Math.Max(1, (max + YTicks - 1) / YTicks);
        for (var magnitude = 1L; ; magnitude *= 10)
            foreach (var nice in (ReadOnlySpan<long>)[1, 2, 5])
                if (nice * magnitude >= least) return nice * magnitude;
    }

    private static void Axes(StringBuilder svg, ChartData chart, long top, ChartKind kind)
    {
        for (var i = 0; i <= YTicks; i++)
        {
            var tick = top / YTicks * i;
            var y = Coordinate(Y(tick, top));
            svg.Append("<line class=\"grid\" x1=\"").Append(Coordinate(Left)).Append("\" x2=\"").Append(Coordinate(Width - Right))
                .Append("\" y1=\"").Append(y).Append("\" y2=\"").Append(y).Append("\" stroke=\"currentColor\" stroke-opacity=\"")
                .Append(tick == 0 ? "0.6" : "0.15").Append("\"/>")
                .Append("<text x=\"").Append(Coordinate(Left - 6)).Append("\" y=\"").Append(y)
                .Append("\" text-anchor=\"end\" dominant-baseline=\"middle\" fill=\"currentColor\" font-size=\"11\">")
                .Append(tick.ToString("N0", CultureInfo.InvariantCulture)).Append("</text>");
        }
        var count = chart.Labels.Length;
        if (count == 0) return;
        var every = (count + MaxXLabels - 1) / MaxXLabels;
        for (var i = 0; i < count; i++)
        {
            // The last label always shows: it is the newest, the one an owner looks for.
            var shown = i == count - 1 || (i % every == 0 && (count - 1 - i) * 2 >= every);
            if (!shown) continue;
            var x = kind == ChartKind.Line ? X(i, count) : Left + (i + 0.5) * PlotWidth / count;
            // A line's last point is at the plot's right edge: its label ends there instead of spilling past the picture.
            var anchor = kind == ChartKind.Line && i == count - 1 && count > 1 ? "end" : "middle";
            svg.Append("<text x=\"").Append(Coordinate(x)).Append("\" y=\"").Append(Coordinate(Height - 8))
                .Append("\" text-anchor=\"").Append(anchor).Append("\" fill=\"currentColor\" font-size=\"11\">").Append(AdminPage.Encode(chart.Labels[i])).Append("</text>");
        }
    }

    private static void Lines(StringBuilder svg, ChartData chart, long top)
    {
        var count = chart.Labels.Length;
        foreach (var series in chart.Series)
        {
            svg.Append("<polyline class=\"line s-").Append(series.Key).Append("\" data-series=\"").Append(series.Key).Append("\" data-values=\"")
                .AppendJoin(' ', series.Values.Select(Number)).Append("\" fill=\"none\" stroke=\"currentColor\" stroke-width=\"2\" points=\"");
            for (var i = 0; i < count; i++)
            {
                if (i > 0) svg.Append(' ');
                svg.Append(Coordinate(X(i, count))).Append(',').Append(Coordinate(Y(series.Values[i], top)));
            }
            svg.Append("\"><title>").Append(AdminPage.Encode(series.Name)).Append("</title></polyline>");
            // A single day is a point, not a line: draw it so it shows.
            if (count == 1)
                svg.Append("<circle class=\"s-").Append(series.Key).Append("\" cx=\"").Append(Coordinate(X(0, 1))).Append("\" cy=\"")
                    .Append(Coordinate(Y(series.Values[0], top))).Append("\" r=\"3\" fill=\"currentColor\"/>");
        }
    }

    private static void Bars(StringBuilder svg, ChartData chart, long top)
    {
        var count = chart.Labels.Length;
        var group = PlotWidth / count;
        var bar = group * 0.8 / Math.Max(1, chart.Series.Length);
        for (var i = 0; i < count; i++)
        {
            for (var s = 0; s < chart.Series.Length; s++)
            {
                var series = chart.Series[s];
                var value = series.Values[i];
                var y = Y(value, top);
                svg.Append("<rect class=\"bar s-").Append(series.Key).Append("\" data-series=\"").Append(series.Key).Append("\" data-value=\"")
                    .Append(Number(value)).Append("\" x=\"").Append(Coordinate(Left + i * group + group * 0.1 + s * bar)).Append("\" y=\"")
                    .Append(Coordinate(y)).Append("\" width=\"").Append(Coordinate(bar)).Append("\" height=\"").Append(Coordinate(Top + PlotHeight - y))
                    .Append("\" fill=\"currentColor\"><title>").Append(AdminPage.Encode(chart.Labels[i] + ": " + series.Name + " " + value.ToString("N0", CultureInfo.InvariantCulture)))
                    .Append("</title></rect>");
            }
        }
    }

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    // Ids and keys go into attributes and class names unencoded: letters, digits and dashes only.
    private static void CheckToken(string token, string what)
    {
        if (token.Length == 0 || !token.All(c => c is >= 'a' and <= 'z' or >= '0' and <= '9' or '-'))
            throw new ArgumentException($"a chart's {what} must be lower-case letters, digits and dashes, not \"{token}\"", what);
    }
}
