namespace Blog.MailingList;

/// <summary>
/// One page of a search, in id order. <see cref="NextAfter"/> and <see cref="PreviousBefore"/> are the keys of the
/// pages either side (null: nothing more that way). <see cref="SearchedTo"/> is set when the page stopped at the scan
/// limit before it was full: the id it examined up to (down to, paging back), where the next page goes on.
/// </summary>
public sealed record SubscriberPage(IReadOnlyList<SubscriberRow> Rows, long? NextAfter, long? PreviousBefore, long? SearchedTo);
