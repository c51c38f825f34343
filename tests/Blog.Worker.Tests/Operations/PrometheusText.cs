using System.Globalization;

namespace Blog.Tests.Operations;

/// <summary>Reads samples out of a Prometheus text exposition, as a scraper would.</summary>
internal static class PrometheusText
{
    /// <summary>The value of the sample named <paramref name="name"/> carrying every one of <paramref name="labels"/>; null when there is none.</summary>
    public static double? Value(string text, string name, params (string Label, string Value)[] labels)
    {
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith('#')) continue;
            string set;
            string rest;
            if (line.StartsWith(name + "{", StringComparison.Ordinal))
            {
                var close = line.IndexOf('}', StringComparison.Ordinal);
                set = line[(name.Length + 1)..close];
                rest = line[(close + 1)..];
            }
            else if (line.StartsWith(name + " ", StringComparison.Ordinal))
            {
                set = "";
                rest = line[name.Length..];
            }
            else continue;
            if (!labels.All(l => set.Contains($"{l.Label}=\"{l.Value}\"", StringComparison.Ordinal))) continue;
            return double.Parse(rest.Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        }
        return null;
    }
}
