using Blog.Subscribers;

namespace Blog.Digests;

/// <summary>A pending delivery claimed for sending, with its subscriber as they are now.</summary>
public sealed record ClaimedDelivery(string RunKey, Subscriber Subscriber, ImmutableArray<string> PostIds, DateTimeOffset? Watermark,
    string MessageId, int Attempts);
