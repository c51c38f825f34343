using System.Globalization;
using Blog.Feedback;
using Blog.MailingList;

namespace Blog.Subscriptions;

/// <summary>
/// The list as CSV: what <c>blog subscribers export</c> writes and <c>import</c> reads. A first row naming an
/// <c>email</c> column is a header (then <c>tags</c>, <c>cadence</c> and <c>status</c> are found by name, other
/// columns ignored); without one, the columns are email, tags, cadence. Pure: checking a file writes nothing.
/// </summary>
public static class SubscriberCsv
{
    /// <summary>
    /// The export's columns. The last four are the subscriber's history (hard bounces counted, their newest event's kind,
    /// time and diagnostic): for the owner to read, and ignored by import.
    /// </summary>
    public static readonly string Header = CsvFormat.Line("email", "status", "cadence", "tags", "created", "confirmed",
        "bounces", "last_event", "last_event_at", "last_diagnostic");

    private static readonly string[] EmailHeaders = ["email", "e-mail", "email address", "e-mail address", "address", "mail"];

    /// <param name="last">The subscriber's newest event, when they have one.</param>
    public static string Row(Subscriber s, SubscriberEvent? last = null) => CsvFormat.Line(s.Address, s.Status.ToText(), s.Cadence, string.Join(' ', s.Tags),
        Time(s.CreatedAt), s.ConfirmedAt is { } confirmed ? Time(confirmed) : "",
        s.Bounces.ToString(CultureInfo.InvariantCulture), last?.Kind.ToText() ?? "", last is null ? "" : Time(last.At), last?.Diagnostic ?? "");

    /// <param name="confirmed">Rows become active instead of pending (consent already on record).</param>
    public static CsvImport Parse(IEnumerable<CsvRecord> records, SubscriptionChoices choices, bool confirmed)
    {
        var drafts = new List<SubscriberDraft>();
        var problems = new List<string>();
        var notices = new List<string>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        int email = 0, tags = 1, cadence = 2, status = -1;
        var first = true;
        foreach (var record in records)
        {
            var cells = record.Fields.Select(f => CsvFormat.Unguard(f.Trim()).Trim()).ToArray();
            if (first)
            {
                first = false;
                var names = cells.Select(c => c.ToLowerInvariant()).ToArray();
                var at = Array.FindIndex(names, n => EmailHeaders.Contains(n));
                if (at >= 0)
                {
                    (email, tags, cadence, status) = (at, Array.IndexOf(names, "tags"), Array.IndexOf(names, "cadence"), Array.IndexOf(names, "status"));
                    continue;
                }
            }
            if (cells.All(c => c.Length == 0)) continue;

            var line = record.Line;
            var before = problems.Count;
            var text = Cell(cells, email);
            if (!EmailAddress.TryParse(text, out var address, out var error)) problems.Add(Problem(line, "email", error, text));
            if (choices.CheckCadence(Cell(cells, cadence), out var chosenCadence) is { } cadenceError) problems.Add(Problem(line, "cadence", cadenceError, Cell(cells, cadence)));
            var tagText = Cell(cells, tags);
            if (choices.CheckTags(tagText.Split([' ', ';', ',', '|'], StringSplitOptions.RemoveEmptyEntries), out var chosenTags) is { } tagError)
                problems.Add(Problem(line, "tags", tagError, tagText));
            var statusText = Cell(cells, status).ToLowerInvariant();
            var listed = SubscriberStatus.Pending;
            if (statusText.Length > 0 && !SubscriberStatusText.TryParse(statusText, out listed))
                problems.Add(Problem(line, "status", $"unknown status; the statuses are {string.Join(", ", SubscriberStatusText.All)}", Cell(cells, status)));
            SubscriberStatus? kept = listed is SubscriberStatus.Unsubscribed or SubscriberStatus.Bounced or SubscriberStatus.Complained ? listed : null;
            if (problems.Count > before) continue;

            if (seen.TryGetValue(address!.Key, out var firstLine))
            {
                notices.Add($"line {line.ToString(CultureInfo.InvariantCulture)}: email: {address.Value} is already on line {firstLine.ToString(CultureInfo.InvariantCulture)}; skipped");
                continue;
            }
            seen[address.Key] = line;
            // An address that left (or complained) stays so: an import never resubscribes anyone.
            var subscriberStatus = kept ?? (confirmed ? SubscriberStatus.Active : SubscriberStatus.Pending);
            drafts.Add(new SubscriberDraft(address, chosenTags, chosenCadence, subscriberStatus));
        }
        return new CsvImport(drafts, problems, notices);
    }

    private static string Cell(string[] cells, int index) => index >= 0 && index < cells.Length ? cells[index] : "";

    private static string Problem(int line, string field, string message, string value) =>
        $"line {line.ToString(CultureInfo.InvariantCulture)}: {field}: {message} (value: {Blog.Posts.PostProblem.Quote(value)})";

    private static string Time(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
