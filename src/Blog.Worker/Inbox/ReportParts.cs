using MimeKit;

namespace Blog.Inbox;

/// <summary>
/// A message's MIME parts, walked once within bounds: a hostile message may nest or repeat parts without end, and the
/// rules only ever need the first few. Returned messages (message/rfc822, text/rfc822-headers) are listed but not
/// walked into: what they contain is the mail we sent, not the report.
/// </summary>
internal sealed class ReportParts
{
    public const int MaxParts = 200;
    public const int MaxDepth = 12;

    private ReportParts(ImmutableArray<MimeEntity> entities) => Entities = entities;

    /// <summary>In document order, the message's body first.</summary>
    public ImmutableArray<MimeEntity> Entities { get; }

    /// <summary>The message's parts, or null with <paramref name="problem"/> when there are more, or deeper, than any report has.</summary>
    public static ReportParts? Walk(MimeMessage message, out string problem)
    {
        problem = "";
        var entities = ImmutableArray.CreateBuilder<MimeEntity>();
        if (message.Body is null) return new ReportParts([]);
        var pending = new Stack<(MimeEntity Entity, int Depth)>();
        pending.Push((message.Body, 0));
        while (pending.Count > 0)
        {
            var (entity, depth) = pending.Pop();
            if (entities.Count == MaxParts)
            {
                problem = $"more than {MaxParts} MIME parts";
                return null;
            }
            if (depth > MaxDepth)
            {
                problem = $"MIME parts nested deeper than {MaxDepth}";
                return null;
            }
            entities.Add(entity);
            if (entity is not Multipart multipart) continue;
            // Pushed in reverse, so the walk keeps document order; a multipart with more children than the bound is
            // refused here, before its children are pushed.
            if (multipart.Count > MaxParts)
            {
                problem = $"more than {MaxParts} MIME parts";
                return null;
            }
            for (var i = multipart.Count - 1; i >= 0; i--) pending.Push((multipart[i], depth + 1));
        }
        return new ReportParts(entities.ToImmutable());
    }

    /// <summary>The first multipart/report of this type (<c>delivery-status</c>, <c>feedback-report</c>).</summary>
    public MultipartReport? Report(string reportType) =>
        Entities.OfType<MultipartReport>().FirstOrDefault(r => string.Equals(r.ReportType?.Trim(), reportType, StringComparison.OrdinalIgnoreCase));

    /// <summary>The headers of the message a report returns, whole (message/rfc822) or headers only (text/rfc822-headers).</summary>
    public static HeaderList? Returned(MultipartReport report)
    {
        foreach (var part in report.Take(MaxParts))
        {
            if (part is MessagePart { Message: { } returned }) return returned.Headers;
        }
        return null;
    }

    /// <summary>The text/plain parts outside returned messages, in order.</summary>
    public IEnumerable<TextPart> PlainText() => Entities.OfType<TextPart>().Where(p => p.IsPlain && !p.IsAttachment);
}
