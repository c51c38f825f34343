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

    /// <summary>A field as written: a formula-like value made inert (see <see cref="Unguard"/>), then quoted if it must be.</summary>
    public static string Field(string value)
    {
        if (IsFormulaLike(value)) value = "'" + value;
        return value.AsSpan().IndexOfAny(",\"\r\n") >= 0 || (value.Length > 0 && (value[0] == ' ' || value[^1] == ' '))
            ? $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\""
            : value;
    }

    /// <summary>
    /// A cell as it was before <see cref="Field"/> guarded it. A spreadsheet runs a cell that starts with = + - @, a tab or
    /// a carriage return as a formula (OWASP's CSV injection), so such a cell is written with a leading single quote, which
    /// spreadsheets show as text and drop; this takes that one quote off again. A value that already starts with quotes
    /// before such a character gets one more, so every value reads back as it was.
    /// </summary>
    public static string Unguard(string cell) => cell.Length > 1 && cell[0] == '\'' && IsFormulaLike(cell) ? cell[1..] : cell;

    private static bool IsFormulaLike(string value)
    {
        var rest = value.AsSpan().TrimStart('\'');
        return rest.Length > 0 && rest[0] is '=' or '+' or '-' or '@' or '\t' or '\r';
    }

    public static string Line(params string[] fields) => string.Join(',', fields.Select(Field));
}
