using Blog.MailingList;

namespace Blog.Subscriptions;

/// <param name="Problems">Rows that cannot be imported, each naming its line, field and value. Any problem stops the whole import.</param>
/// <param name="Notices">Rows skipped for a harmless reason (the same address twice).</param>
public sealed record CsvImport(IReadOnlyList<SubscriberDraft> Drafts, IReadOnlyList<string> Problems, IReadOnlyList<string> Notices);
