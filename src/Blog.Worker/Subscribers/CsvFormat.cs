using System.Text;

namespace Blog.Subscribers;

/// <summary>RFC 4180 CSV: fields separated by commas, quoted with <c>"</c> when they hold a comma, quote or line break.</summary>
public static class CsvFormat
{
    /// <exception cref="FormatException">A quoted field is never closed; the message names its line.</exception>
    public static IEnumerable<CsvRecord> Read(TextReader reader)
    {
        var fields = ImmutableArray.CreateBuilder<string>();
        var field = new StringBuilder();
        int line = 1, start = 1, c;
        bool quoted = false, any = false;
        while ((c = reader.Read()) >= 0)
        {
            if (quoted)
            {
                if (c == '"')
                {
                    if (reader.Peek() == '"') field.Append((char)reader.Read());
                    else quoted = false;
                }
                else
                {
                    if (c == '\n') line++;
                    field.Append((char)c);
                }
                continue;
            }
            switch (c)
            {
                case '"' when field.Length == 0:
                    quoted = any = true;
                    break;
                case ',':
                    fields.Add(field.ToString());
                    field.Clear();
                    any = true;
                    break;
                case '\r':
                    break;
                case '\n':
                    if (any || field.Length > 0)
                    {
                        fields.Add(field.ToString());
                        yield return new CsvRecord(start, fields.DrainToImmutable());
                    }
                    field.Clear();
                    any = false;
                    start = ++line;
                    break;
                default:
                    field.Append((char)c);
                    break;
            }
        }
        if (quoted) throw new FormatException($"line {start}: a quoted field is never closed");
        if (any || field.Length > 0)
        {
            fields.Add(field.ToString());
            yield return new CsvRecord(start, fields.DrainToImmutable());
        }
    }

    public static string Field(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") >= 0 || (value.Length > 0 && (value[0] == ' ' || value[^1] == ' '))
            ? $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\""
            : value;

    public static string Line(params string[] fields) => string.Join(',', fields.Select(Field));
}
