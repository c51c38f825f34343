using Blog.MailingList;
using Blog.Subscriptions;

namespace Blog.Tests.Subscriptions;

public sealed class CsvFormatTests
{
    private static List<CsvRecord> Read(string text) => [.. CsvFormat.Read(new StringReader(text))];

    [Fact]
    public void Quoted_fields_may_hold_commas_quotes_and_line_breaks_and_records_keep_their_first_line()
    {
        var records = Read("email,tags\r\n\"a@example.com\",\"x, y\"\r\n\r\nb@example.com,\"say \"\"hi\"\"\nthere\"\nc@example.com");
        Assert.Equal([1, 2, 4, 6], records.Select(r => r.Line));
        Assert.Equal<string>(["a@example.com", "x, y"], records[1].Fields);
        Assert.Equal<string>(["b@example.com", "say \"hi\"\nthere"], records[2].Fields);
        Assert.Equal<string>(["c@example.com"], records[3].Fields);
    }

    [Fact]
    public void A_spreadsheet_export_with_a_byte_order_mark_semicolons_and_CRLF_reads_as_written()
    {
        // Excel in a comma-decimal locale (de-DE, fr-FR) saves "CSV UTF-8" like this: a BOM, `;` between fields,
        // commas inside values left unquoted, CRLF line ends, quotes doubled, line breaks inside quotes.
        var records = Read("\uFEFFemail;tags;score\r\nann@example.com;\"ai;evals\";1,5\r\nbob@example.com;\"say \"\"hi\"\"\r\nthere\";2\r\n");
        Assert.Equal([1, 2, 3], records.Select(r => r.Line));
        Assert.Equal<string>(["email", "tags", "score"], records[0].Fields);
        Assert.Equal<string>(["ann@example.com", "ai;evals", "1,5"], records[1].Fields);
        Assert.Equal<string>(["bob@example.com", "say \"hi\"\r\nthere", "2"], records[2].Fields);
    }

    [Theory]
    [InlineData("ann@example.com,ai;evals,daily\n", new[] { "ann@example.com", "ai;evals", "daily" })]
    [InlineData("ann@example.com;ai,evals;daily\n", new[] { "ann@example.com", "ai,evals", "daily" })]
    [InlineData("\"a;b;c\",x\n", new[] { "a;b;c", "x" })]
    [InlineData("ann@example.com\n", new[] { "ann@example.com" })]
    public void The_separator_is_the_one_the_first_line_uses_most_outside_quotes(string text, string[] fields) =>
        Assert.Equal(fields, Read(text).Single().Fields);

    [Fact]
    public void An_unclosed_quote_names_the_line_it_opened_on()
    {
        var e = Assert.Throws<FormatException>(() => Read("email\na@example.com\n\"b@example.com,x\ny\n"));
        Assert.Contains("line 3", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_record_too_long_to_be_a_subscriber_is_refused_with_its_line_and_blank_lines_cost_nothing()
    {
        var huge = new string('a', CsvFormat.MaxRecordChars + 1);
        var e = Assert.Throws<FormatException>(() => Read($"email\n{huge}@example.com\n"));
        Assert.Contains("line 2", e.Message, StringComparison.Ordinal);
        var open = Assert.Throws<FormatException>(() => Read("email\n\"" + huge));
        Assert.Contains("line 2", open.Message, StringComparison.Ordinal);
        // A million blank lines are read one by one, not stacked up.
        Assert.Equal(2, Read("email" + new string('\n', 1_000_000) + "a@example.com\n").Count);
    }

    [Fact]
    public void A_quote_inside_a_field_that_does_not_start_with_one_is_a_literal_character()
    {
        // One stray quote used to refuse the file; two on different lines made every row between them one field.
        var records = Read("email,note\na@x.com,5\" screen\nb@x.com,x\nc@x.com,7\" y\nd@x.com,say \"\"hi\"\"\ne\"@x.com,\"q\"\n");
        Assert.Equal([1, 2, 3, 4, 5, 6], records.Select(r => r.Line));
        Assert.Equal<string>(["a@x.com", "5\" screen"], records[1].Fields);
        Assert.Equal<string>(["b@x.com", "x"], records[2].Fields);
        Assert.Equal<string>(["c@x.com", "7\" y"], records[3].Fields);
        Assert.Equal<string>(["d@x.com", "say \"\"hi\"\""], records[4].Fields);
        Assert.Equal<string>(["e\"@x.com", "q"], records[5].Fields);
    }

    [Fact]
    public void A_line_without_a_line_break_is_refused_at_the_record_limit_without_holding_it()
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<FormatException>(() => CsvFormat.Read(new EndlessLine("email\n", 'a', 20_000_000)).ToList());
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Contains("line 2", e.Message, StringComparison.Ordinal);
        // The record limit is 64K characters (128 KB); Sep and the reader's buffers are a few times that, not the 40 MB line.
        Assert.InRange(allocated, 0, 8 * 1024 * 1024);
        var open = Assert.Throws<FormatException>(() => CsvFormat.Read(new EndlessLine("email\na@x.com,\"", 'a', 20_000_000)).ToList());
        Assert.Contains("line 2", open.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_record_with_more_columns_than_a_subscriber_has_is_refused_with_its_line()
    {
        var e = Assert.Throws<FormatException>(() => Read("email\na@x.com\n" + new string(',', 60_000) + "\n"));
        Assert.Contains("line 3", e.Message, StringComparison.Ordinal);
        Assert.Contains(CsvFormat.MaxFields.ToString(System.Globalization.CultureInfo.InvariantCulture), e.Message, StringComparison.Ordinal);
        Assert.Equal(CsvFormat.MaxFields, Read(new string(',', CsvFormat.MaxFields - 1) + "\n").Single().Fields.Length);
        // Separators inside quotes are text, not columns.
        Assert.Single(Read("\"" + new string(',', 1000) + "\"\n").Single().Fields);
    }

    [Fact]
    public void Written_fields_read_back_unchanged()
    {
        string[] fields = ["plain", "with,comma", "with \"quote\"", "two\r\nlines", " padded ", ""];
        var read = Read(CsvFormat.Line(fields) + "\r\n");
        Assert.Equal(fields, read.Single().Fields);
    }

    [Theory]
    [InlineData("=HYPERLINK(\"http://evil.example\",\"x\")")]
    [InlineData("+1+2")]
    [InlineData("-2+3")]
    [InlineData("@SUM(A1)")]
    [InlineData("\tlead")]
    [InlineData("\rlead")]
    [InlineData("'=already quoted")]
    public void A_cell_a_spreadsheet_would_run_as_a_formula_is_written_inert_and_reads_back_unchanged(string value)
    {
        var line = CsvFormat.Line(value, "plain");
        var cell = Read(line + "\r\n").Single().Fields[0];
        Assert.StartsWith("'", cell, StringComparison.Ordinal);
        Assert.Equal(value, CsvFormat.Unguard(cell));
        Assert.Equal("plain", CsvFormat.Unguard("plain"));
        Assert.Equal("'plain", CsvFormat.Unguard("'plain"));
    }

    /// <summary>A prefix, then one character repeated, made as it is read so the test holds no large string itself.</summary>
    private sealed class EndlessLine(string prefix, char fill, int length) : TextReader
    {
        private int at;

        public override int Read(char[] buffer, int index, int count) => Read(buffer.AsSpan(index, count));

        public override int Read() => Peek() is var c and >= 0 ? Take(c) : -1;

        public override int Peek() => at < prefix.Length ? prefix[at] : at < prefix.Length + length ? fill : -1;

        public override int Read(Span<char> buffer)
        {
            var n = 0;
            while (n < buffer.Length && Peek() is var c and >= 0) buffer[n++] = (char)Take(c);
            return n;
        }

        private int Take(int c)
        {
            at++;
            return c;
        }
    }
}
