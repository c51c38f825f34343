namespace Blog.Inbox;

/// <summary>What one pass over the return mailbox did. Bounces, complaints and unsubscribes count findings (a report can name several recipients); the rest count messages.</summary>
/// <param name="AlreadySeen">Messages whose result a pass before had committed without finishing them (it was cut short): finished now, counted nowhere else.</param>
/// <param name="Errors">Messages that could not be acted on (their result could not be recorded): left in place.</param>
public sealed record InboxSummary(int Bounces, int Complaints, int Unsubscribes, int Ignored, int Unhandled, int AlreadySeen, int Errors)
{
    public static readonly InboxSummary Empty = new(0, 0, 0, 0, 0, 0, 0);

    /// <summary>Findings about an address or mail no subscriber matches: remembered, so counted once, and nothing changed.</summary>
    public int NotOnList { get; init; }

    public bool IsEmpty => this == Empty;

    /// <summary>The line <c>blog inbox check</c> prints and the service logs.</summary>
    public override string ToString() =>
        $"{Bounces} bounces, {Complaints} complaints, {Unsubscribes} unsubscribes, {Ignored} ignored, {Unhandled} unhandled" +
        (AlreadySeen > 0 ? $", {AlreadySeen} already seen" : "") +
        (NotOnList > 0 ? $", {NotOnList} not on the list" : "") +
        (Errors > 0 ? $", {Errors} errors" : "");
}
