namespace Blog.Admin.Charts;

/// <summary>
/// One series of a chart: its name as people read it, the key that styles it (a CSS class token such as
/// <c>active</c>, coloured by charts.css in light and dark), and one value per label of the chart.
/// </summary>
internal sealed record ChartSeries(string Name, string Key, ImmutableArray<long> Values);
