namespace Blog.Admin.Charts;

internal enum ChartKind
{
    /// <summary>A line per series over the labels, for values over days.</summary>
    Line,

    /// <summary>A group of bars per label, a bar per series, for counts per week or per run.</summary>
    Bars,
}
