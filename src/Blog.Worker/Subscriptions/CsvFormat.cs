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
    /// left open, and is refused with its line. It is counted as the input is read, before Sep holds the row, so one
    /// hostile row costs no more than this.
    /// </summary>
    public const int MaxRecordChars = 64 * 1024;

    /// <summary>The most fields a record may have. An export has six; a row of thousands of empty ones is hostile.</summary>
    public const int MaxFields = 64;

    /// <summary>
    /// The records, one at a time (a file of any length costs one record's memory). A field is quoted only if it starts
    /// with <c>"</c>; a quote inside a field that does not is a literal character, as spreadsheets read it.
    /// </summary>
    /// <exception cref="FormatException">A quoted field is never closed, or a record is too long or has too many fields; the message names its line.</exception>
    public static IEnumerable<CsvRecord> Read(TextReader reader)
    {
        var (separator, start) = Probe(reader);
        // Unescaping is ours: Sep would unescape only fields that start with a quote, and the stray quotes the guard
        // doubled must be halved again in the others.
        using var sep = Sep.New(separator).Reader(o => o with { HasHeader = false, Unescape = false, DisableColCountCheck = true })
            .From(new RecordGuard(new ReplayReader(start, reader), separator));
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
            // Sep's own ceiling on a row, far above the guard's, so never reached; kept so it could not escape as a crash.
            throw new FormatException("a record is too long or a quoted field is never closed");
        }
    }

    private static CsvRecord? Record(SepReader.Row row)
    {
        // Without a header row, Sep reports the first row as starting where it ends.
        var line = row.RowIndex == 0 ? 1 : row.LineNumberFrom;
        if (row.Span.Length == 0) return null;
        var fields = ImmutableArray.CreateBuilder<string>(row.ColCount);
        for (var i = 0; i < row.ColCount; i++) fields.Add(Unescape(row[i].Span));
        return new CsvRecord(line, fields.MoveToImmutable());
    }

    /// <summary>
    /// A field as written. Quoted (starts with <c>"</c>): quotes toggle, <c>""</c> inside is one quote, text after the
    /// closing quote is kept (Sep splits on the same rule). Not quoted: every quote was doubled by <see cref="RecordGuard"/>.
    /// </summary>
    private static string Unescape(ReadOnlySpan<char> raw)
    {
        if (raw.IndexOf('"') < 0) return raw.ToString();
        var text = new System.Text.StringBuilder(raw.Length);
        if (raw[0] != '"')
        {
            for (var i = 0; i < raw.Length; i++)
            {
                text.Append(raw[i]);
                if (raw[i] == '"') i++;
            }
            return text.ToString();
        }
        var inQuotes = true;
        for (var i = 1; i < raw.Length; i++)
        {
            if (raw[i] != '"') text.Append(raw[i]);
            else if (inQuotes && i + 1 < raw.Length && raw[i + 1] == '"') text.Append(raw[++i]);
            else inQuotes = !inQuotes;
        }
        return text.ToString();
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
        bool quoted = false, fieldStart = true, first = true;
        while (start.Length < MaxRecordChars && (c = reader.Read()) >= 0)
        {
            // A byte order mark says how the file is encoded, and is no part of the first field.
            if (first && c == '\uFEFF') continue;
            first = false;
            start.Append((char)c);
            // Either separator may start a field here, so a quote after either opens one; a stray quote opens none.
            if (c == '"' && (quoted || fieldStart)) quoted = !quoted;
            fieldStart = false;
            if (quoted) continue;
            else if (c == ',') commas++;
            else if (c == ';') semicolons++;
            else if (c == '\n') break;
            fieldStart = c is ',' or ';';
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

    /// <summary>
    /// The input as Sep should see it, refused as soon as a record is too long or has too many fields. Sep treats every
    /// quote as opening or closing a quoted span, so a stray quote in an unquoted field (<c>5" screen</c>) would run the
    /// field on over line breaks until the next one; this passes such a quote doubled, which Sep reads as text and
    /// <see cref="Unescape"/> halves again. Counting here, before Sep buffers the row, is what bounds a hostile row.
    /// </summary>
    private sealed class RecordGuard(TextReader inner, char separator) : TextReader
    {
        private readonly char[] input = new char[4096];
        private readonly char[] output = new char[2 * 4096];
        private int outAt, outEnd, line = 1, recordLine = 1, chars, fields = 1;
        private bool fieldStart = true, quotedField, inQuotes, ended;

        public override int Peek() => Fill() ? output[outAt] : -1;

        public override int Read() => Fill() ? output[outAt++] : -1;

        public override int Read(char[] buffer, int index, int count) => Read(buffer.AsSpan(index, count));

        public override int Read(Span<char> buffer)
        {
            if (buffer.IsEmpty || !Fill()) return 0;
            var n = Math.Min(buffer.Length, outEnd - outAt);
            output.AsSpan(outAt, n).CopyTo(buffer);
            outAt += n;
            return n;
        }

        private bool Fill()
        {
            while (outAt == outEnd && !ended)
            {
                var n = inner.Read(input);
                (outAt, outEnd) = (0, 0);
                if (n == 0)
                {
                    ended = true;
                    if (inQuotes) throw Refused("a quoted field is never closed");
                }
                for (var i = 0; i < n; i++) Pass(input[i]);
            }
            return outAt < outEnd;
        }

        private void Pass(char c)
        {
            output[outEnd++] = c;
            if (c == '\n') line++;
            if (++chars > MaxRecordChars) throw Refused($"the record is longer than {MaxRecordChars.ToString(CultureInfo.InvariantCulture)} characters");
            if (c == '"')
            {
                if (fieldStart) (quotedField, inQuotes) = (true, true);
                else if (quotedField) inQuotes = !inQuotes;
                else output[outEnd++] = '"';
                fieldStart = false;
            }
            else if (inQuotes) return;
            else if (c == separator)
            {
                fieldStart = true;
                if (++fields > MaxFields) throw Refused($"the record has more than {MaxFields.ToString(CultureInfo.InvariantCulture)} fields");
            }
            else if (c is '\n' or '\r')
            {
                // A CRLF's line feed starts the next record a second time, harmlessly.
                (fieldStart, quotedField, chars, fields, recordLine) = (true, false, 0, 1, line);
            }
            else fieldStart = false;
        }

        private FormatException Refused(string reason) =>
            new($"line {recordLine.ToString(CultureInfo.InvariantCulture)}: {reason}");
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
