using System.Globalization;
using System.Text;

namespace Blog.Admin.Charts;

/// <summary>
/// A chart as the console shows it: a heading, a legend, the SVG, and its numbers as a table in a
/// <c>&lt;details&gt;</c> under it, for whoever would rather read them (or cannot see the chart).
/// </summary>
internal static class ChartFigure
{
    public static string Html(ChartData chart, ChartKind kind)
    {
        var html = new StringBuilder(8192);
        html.Append("<figure class=\"chart\" id=\"").Append(chart.Id).Append("\"><figcaption><h2>").Append(AdminPage.Encode(chart.Title)).Append("</h2>")
            .Append("<ul class=\"legend\">");
        foreach (var series in chart.Series)
            html.Append("<li><span class=\"swatch s-").Append(series.Key).Append("\" aria-hidden=\"true\"></span>").Append(AdminPage.Encode(series.Name)).Append("</li>");
        html.Append("</ul></figcaption>").Append(SvgChart.Render(chart, kind))
            .Append("<details><summary>The numbers</summary><table><caption>").Append(AdminPage.Encode(chart.Description)).Append("</caption><thead><tr><th scope=\"col\">")
            .Append(AdminPage.Encode(chart.LabelHeading)).Append("</th>");
        foreach (var series in chart.Series) html.Append("<th scope=\"col\" class=\"number\">").Append(AdminPage.Encode(series.Name)).Append("</th>");
        html.Append("</tr></thead><tbody>");
        if (chart.Labels.IsEmpty) html.Append("<tr><td colspan=\"").Append(chart.Series.Length + 1).Append("\" class=\"muted\">No data yet.</td></tr>");
        for (var i = 0; i < chart.Labels.Length; i++)
        {
            html.Append("<tr><th scope=\"row\">").Append(AdminPage.Encode(chart.Labels[i])).Append("</th>");
            foreach (var series in chart.Series)
                html.Append("<td class=\"number\">").Append(series.Values[i].ToString("N0", CultureInfo.InvariantCulture)).Append("</td>");
            html.Append("</tr>");
        }
        return html.Append("</tbody></table></details></figure>").ToString();
    }
}
