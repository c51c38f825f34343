using Blog.Subscribers;

namespace Blog.Tests.Subscribers;

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
    public void An_unclosed_quote_names_the_line_it_opened_on()
    {
        var e = Assert.Throws<FormatException>(() => Read("email\na@example.com\n\"b@example.com,x\ny\n"));
        Assert.Contains("line 3", e.Message, StringComparison.Ordinal);
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
