namespace Blog.MailingList;

/// <summary>
/// The owner's view of the list: a search that stays cheap at a million subscribers, and one subscriber's delivery
/// history. Pages are keyset pages by id (never an offset), so a page costs the same wherever it is in the list.
/// </summary>
public interface ISubscriberDirectory
{
    /// <summary>
    /// One page of <see cref="SubscriberSearch"/>. Status and cadence are answered by an index; an address fragment and a
    /// tag cannot be, so a page examines at most <see cref="SubscriberSearch.ScanLimit"/> rows (in id order) for them and
    /// says where it stopped (<see cref="SubscriberPage.SearchedTo"/>), and the next page goes on from there.
    /// </summary>
    Task<SubscriberPage> SearchAsync(SubscriberSearch search, CancellationToken cancellationToken);

    /// <summary>
    /// A subscriber's deliveries, newest run first, at most <paramref name="max"/>; <paramref name="beforeRun"/> (a run key)
    /// continues after that run. An id merged into another reads the other's, as the store finds it.
    /// </summary>
    Task<IReadOnlyList<SubscriberDelivery>> DeliveriesAsync(long subscriberId, string? beforeRun, int max, CancellationToken cancellationToken);
}
