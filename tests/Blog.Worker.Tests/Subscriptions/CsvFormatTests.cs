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
}
