using System.Globalization;
using nietras.SeparatedValues;

namespace Blog.Subscriptions;

/// <summary>
/// CSV as people and spreadsheets write it, read and written by Sep: fields quoted with <c>"</c> when they hold a
/// separator, quote or line break; a byte order mark; <c>,</c> or, as spreadsheets in comma-decimal locales save it, <c>;</c>.
/// </summary>
public static class CsvFormat
{
    /// <summary>
    /// The longest record read, in characters. A subscriber row is a few hundred; a longer one is hostile or a quote
    /// left open, and is refused with its line. Sep holds a row whole before it can be measured, up to a ceiling of its
    /// own (millions of characters, refused too), which is what bounds the memory one hostile row can cost.
    /// </summary>
    public const int MaxRecordChars = 64 * 1024;

    /// <summary>The records, one at a time (a file of any length costs one record's memory).</summary>
    /// <exception cref="FormatException">A quoted field is never closed, or a record is too long; the message names its line.</exception>
    public static IEnumerable<CsvRecord> Read(TextReader reader)
    {
        var (separator, start) = Probe(reader);
        using var sep = Sep.New(separator).Reader(o => o with { HasHeader = false, Unescape = true, DisableColCountCheck = true })
            .From(new ReplayReader(start, reader));
        while (Next(sep) is { } record) yield return record;
    }

    private static CsvRecord? Next(SepReader reader)
    {
        while (true)
        {
            if (!MoveNext(reader)) return null;
            // A blank line is no record, as it is no row to a spreadsheet.
            if (Record(reader.Current) is { } record) return record;
        }
    }

    private static bool MoveNext(SepReader reader)
    {
        try
        {
            return reader.MoveNext();
        }
        catch (NotSupportedException)
        {
            // Sep's own ceiling on a row, far above ours; reached only by a quote left open in a huge file.
            throw new FormatException("a record is too long or a quoted field is never closed");
        }
    }

    private static CsvRecord? Record(SepReader.Row row)
    {
        // Without a header row, Sep reports the first row as starting where it ends.
        var line = row.RowIndex == 0 ? 1 : row.LineNumberFrom;
        var raw = row.Span;
        if (raw.Length > MaxRecordChars)
            throw new FormatException($"line {line.ToString(CultureInfo.InvariantCulture)}: the record is longer than {MaxRecordChars.ToString(CultureInfo.InvariantCulture)} characters");
        // Sep reads an open quote to the end of the input without complaint; an odd count of quotes is that.
        if (raw.Count('"') % 2 != 0)
            throw new FormatException($"line {line.ToString(CultureInfo.InvariantCulture)}: a quoted field is never closed");
        if (raw.Length == 0) return null;
        var fields = ImmutableArray.CreateBuilder<string>(row.ColCount);
        for (var i = 0; i < row.ColCount; i++) fields.Add(row[i].ToString());
        if (line == 1 && fields[0].StartsWith('\uFEFF')) fields[0] = fields[0][1..];
        return new CsvRecord(line, fields.MoveToImmutable());
    }

    /// <summary>
    /// Reads the first line (at most <see cref="MaxRecordChars"/>) to choose the separator: the one of <c>,</c> and
    /// <c>;</c> it uses more often outside quotes, <c>,</c> on a tie. A spreadsheet in a comma-decimal locale writes
    /// <c>;</c> between fields and leaves commas in values (<c>1,5</c>) unquoted, so a count, not a presence, decides.
    /// </summary>
    private static (char Separator, string Start) Probe(TextReader reader)
    {
        var start = new System.Text.StringBuilder();
        int commas = 0, semicolons = 0, c;
        var quoted = false;
        while (start.Length < MaxRecordChars && (c = reader.Read()) >= 0)
        {
            start.Append((char)c);
            if (c == '"') quoted = !quoted;
            else if (quoted) continue;
            else if (c == ',') commas++;
            else if (c == ';') semicolons++;
            else if (c == '\n') break;
        }
        return (semicolons > commas ? ';' : ',', start.ToString());
    }

    /// <summary>
    /// A cell as it was before <see cref="Line"/> guarded it. A spreadsheet runs a cell that starts with = + - @, a tab or
    /// a carriage return as a formula (OWASP's CSV injection), so such a cell is written with a leading single quote, which
    /// spreadsheets show as text and drop; this takes that one quote off again. A value that already starts with quotes
    /// before such a character gets one more, so every value reads back as it was.
    /// </summary>
    public static string Unguard(string cell) => cell.Length > 1 && cell[0] == '\'' && IsFormulaLike(cell) ? cell[1..] : cell;

    private static string Guard(string value) => IsFormulaLike(value) ? "'" + value : value;

    private static bool IsFormulaLike(string value)
    {
        var rest = value.AsSpan().TrimStart('\'');
        return rest.Length > 0 && rest[0] is '=' or '+' or '-' or '@' or '\t' or '\r';
    }

    /// <summary>One record, comma-separated, without its line end; each field guarded and quoted as it must be.</summary>
    public static string Line(params string[] fields)
    {
        using var writer = Sep.New(',').Writer(o => o with { WriteHeader = false, Escape = true }).ToText();
        using (var row = writer.NewRow())
        {
            for (var i = 0; i < fields.Length; i++) row[i].Set(Guard(fields[i]));
        }
        return writer.ToString().TrimEnd('\r', '\n');
    }

    /// <summary>What <see cref="Probe"/> read, then the rest of the input.</summary>
    private sealed class ReplayReader(string start, TextReader rest) : TextReader
    {
        private int at;

        public override int Peek() => at < start.Length ? start[at] : rest.Peek();

        public override int Read() => at < start.Length ? start[at++] : rest.Read();

        public override int Read(char[] buffer, int index, int count) => Read(buffer.AsSpan(index, count));

        public override int Read(Span<char> buffer)
        {
            if (at >= start.Length) return rest.Read(buffer);
            var n = Math.Min(buffer.Length, start.Length - at);
            start.AsSpan(at, n).CopyTo(buffer);
            at += n;
            return n;
        }
    }
}
