using Blog.MailingList;
using Blog.Subscriptions;

namespace Blog.Tests.Subscriptions;

public sealed class SubscriberCsvTests
{
    private static CsvImport Parse(string text, bool confirmed = false) =>
        SubscriberCsv.Parse(CsvFormat.Read(new StringReader(text)).ToList(), TestSubscriptions.Choices("AI", "Evals"), confirmed);

    [Fact]
    public void A_header_row_is_found_by_name_and_other_columns_are_ignored()
    {
        var import = Parse("Name,E-mail,Cadence,Tags\nAnn,ann@example.com,daily,ai;evals\nBob,bob@Example.com,,\n");
        Assert.Empty(import.Problems);
        Assert.Equal(["ann@example.com", "bob@example.com"], import.Drafts.Select(d => d.Address.Value));
        Assert.Equal(["daily", "weekly"], import.Drafts.Select(d => d.Cadence));
        Assert.Equal<string>(["ai", "evals"], import.Drafts[0].Tags);
        Assert.All(import.Drafts, d => Assert.Equal(SubscriberStatus.Pending, d.Status));
    }

    [Fact]
    public void A_spreadsheet_saved_with_a_byte_order_mark_and_semicolons_is_read_by_its_header()
    {
        var import = Parse("\uFEFFE-mail;Cadence;Tags\r\nann@example.com;daily;\"ai;evals\"\r\n");
        Assert.Empty(import.Problems);
        var ann = Assert.Single(import.Drafts);
        Assert.Equal(("ann@example.com", "daily"), (ann.Address.Value, ann.Cadence));
        Assert.Equal<string>(["ai", "evals"], ann.Tags);
    }

    [Fact]
    public void Without_a_header_the_columns_are_email_tags_cadence()
    {
        var import = Parse("ann@example.com,AI,daily\nbob@example.com\n", confirmed: true);
        Assert.Empty(import.Problems);
        Assert.Equal(2, import.Drafts.Count);
        Assert.Equal<string>(["ai"], import.Drafts[0].Tags);
        Assert.All(import.Drafts, d => Assert.Equal(SubscriberStatus.Active, d.Status));
    }

    [Fact]
    public void Every_bad_row_is_reported_with_its_line_field_and_value()
    {
        var import = Parse("email,cadence,tags,status\nann@example.com,daily,,\nnot-an-address,,,\nbob@example.com,hourly,,\ncarol@example.com,,cooking,\ndave@example.com,,,paused\n");
        Assert.Equal(
        [
            "line 3: email: an address needs a name, @ and a domain, like name@example.com (value: \"not-an-address\")",
            "line 4: cadence: unknown cadence \"hourly\"; the cadences are daily, weekly (value: \"hourly\")",
            "line 5: tags: unknown tag \"cooking\"; the tags are ai, evals (value: \"cooking\")",
            "line 6: status: unknown status; the statuses are pending, active, unsubscribed, bounced, complained (value: \"paused\")",
        ], import.Problems);
    }

    [Fact]
    public void A_stray_quote_is_part_of_its_field_and_no_row_vanishes()
    {
        var import = Parse("email,note,tags\nann@example.com,5\" screen,ai\nbob@example.com,x,\ncarol\"@example.com,7\" y,\ndave@example.com,,evals\n");
        Assert.Equal(["ann@example.com", "bob@example.com", "dave@example.com"], import.Drafts.Select(d => d.Address.Value));
        Assert.StartsWith("line 4: email: ", Assert.Single(import.Problems), StringComparison.Ordinal);
        Assert.EndsWith("(value: \"carol\\\"@example.com\")", import.Problems[0], StringComparison.Ordinal);
    }

    [Fact]
    public void The_same_address_twice_is_imported_once_with_a_notice()
    {
        var import = Parse("email\nann@example.com\nann@EXAMPLE.COM\nann@Example.com\nAnn@example.com\n");
        // Case never makes two people: Ann@ is ann@, as mailbox providers treat it.
        Assert.Equal(["ann@example.com"], import.Drafts.Select(d => d.Address.Value));
        Assert.Empty(import.Problems);
        Assert.Equal(["line 3: email: ann@example.com is already on line 2; skipped", "line 4: email: ann@example.com is already on line 2; skipped",
            "line 5: email: Ann@example.com is already on line 2; skipped"], import.Notices);
    }

    [Fact]
    public void An_export_reads_back_and_people_who_left_stay_left_even_with_confirmed()
    {
        var now = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);
        var rows = new[]
        {
            new Subscriber(1, "ann@example.com", SubscriberStatus.Active, ["ai"], "daily", now, now, null, null, null, 0),
            new Subscriber(2, "bob@example.com", SubscriberStatus.Unsubscribed, [], "weekly", now, null, null, now, null, 0),
            new Subscriber(3, "carol@example.com", SubscriberStatus.Bounced, [], "weekly", now, now, null, null, null, 3),
            new Subscriber(4, "dave@example.com", SubscriberStatus.Complained, [], "weekly", now, now, null, now, null, 0),
        };
        var text = SubscriberCsv.Header + "\r\n" + string.Join("\r\n", rows.Select(s => SubscriberCsv.Row(s)));
        Assert.StartsWith("email,status,cadence,tags,created,confirmed,bounces,last_event,last_event_at,last_diagnostic\r\n" +
            "ann@example.com,active,daily,ai,2026-01-02T03:04:05Z,2026-01-02T03:04:05Z,0,,,\r\n", text, StringComparison.Ordinal);

        var import = Parse(text, confirmed: true);
        Assert.Empty(import.Problems);
        Assert.Equal([SubscriberStatus.Active, SubscriberStatus.Unsubscribed, SubscriberStatus.Bounced, SubscriberStatus.Complained], import.Drafts.Select(d => d.Status));
        Assert.Equal<string>(["ai"], import.Drafts[0].Tags);
    }

    [Fact]
    public void An_export_carries_the_last_event_inert_and_quoted_and_reads_back()
    {
        var now = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);
        var carol = new Subscriber(3, "carol@example.com", SubscriberStatus.Bounced, [], "weekly", now, now, null, null, null, 3);
        var last = new Blog.Feedback.SubscriberEvent(3, Blog.Feedback.FeedbackKind.HardBounce, "imap", now.AddDays(1), "weekly/1", "=cmd|' /C calc'!A0, \"550\" user unknown");
        var text = SubscriberCsv.Header + "\r\n" + SubscriberCsv.Row(carol, last);
        Assert.EndsWith(",3,hard-bounce,2026-01-03T03:04:05Z,\"'=cmd|' /C calc'!A0, \"\"550\"\" user unknown\"", text, StringComparison.Ordinal);
        var import = Parse(text);
        Assert.Empty(import.Problems);
        Assert.Equal(("carol@example.com", SubscriberStatus.Bounced), (import.Drafts.Single().Address.Value, import.Drafts.Single().Status));
    }

    [Fact]
    public void An_address_that_looks_like_a_formula_is_exported_inert_and_imports_back_as_it_was()
    {
        var now = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);
        var rows = new[]
        {
            new Subscriber(1, "=1+2@example.com", SubscriberStatus.Active, [], "daily", now, now, null, null, null, 0),
            new Subscriber(2, "-x@example.com", SubscriberStatus.Active, [], "daily", now, now, null, null, null, 0),
            new Subscriber(3, "+y@example.com", SubscriberStatus.Active, [], "daily", now, now, null, null, null, 0),
        };
        var text = SubscriberCsv.Header + "\r\n" + string.Join("\r\n", rows.Select(s => SubscriberCsv.Row(s)));
        Assert.Contains("\r\n'=1+2@example.com,active", text, StringComparison.Ordinal);
        Assert.Contains("\r\n'-x@example.com,active", text, StringComparison.Ordinal);
        Assert.Contains("\r\n'+y@example.com,active", text, StringComparison.Ordinal);
        var import = Parse(text, confirmed: true);
        Assert.Empty(import.Problems);
        Assert.Equal(["=1+2@example.com", "-x@example.com", "+y@example.com"], import.Drafts.Select(d => d.Address.Value));
    }
}
