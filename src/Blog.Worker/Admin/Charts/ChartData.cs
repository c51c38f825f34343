namespace Blog.Admin.Charts;

/// <summary>
/// What a chart shows: an id unique on its page, its title and a description naming what and over which range (what
/// screen readers read out), what the labels are (the table's first column heading), the labels along the x axis, and
/// the series, each with one value per label.
/// </summary>
internal sealed record ChartData(string Id, string Title, string Description, string LabelHeading, ImmutableArray<string> Labels,
    ImmutableArray<ChartSeries> Series)
{
    /// <summary>The largest value of any series, 0 for none.</summary>
    public long Max => Series.IsDefaultOrEmpty ? 0 : Series.Max(s => s.Values.IsDefaultOrEmpty ? 0 : s.Values.Max());
}
