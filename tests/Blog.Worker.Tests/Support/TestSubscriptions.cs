using Blog.Digests;
using Blog.Feeds;
using Blog.Storage;
using Blog.MailingList;
using Blog.Subscriptions;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Blog.Tests.Support;

/// <summary>Subscription services over real SQLite files, built as the host builds them.</summary>
public static class TestSubscriptions
{
    public static SubscriptionChoices Choices(params string[] tags) => new(
        Options.Create(new DigestsOptions
        {
            Cadences = new Dictionary<string, CadenceOptions>(StringComparer.Ordinal)
            {
                ["daily"] = new() { Cron = "0 0 8 * * ?" },
                ["weekly"] = new() { Cron = "0 0 8 ? * MON" },
            },
        }),
        Options.Create(new SubscriptionOptions()),
        new KnownTags(() => KnownTags.Of(tags.Select(t => FeedScope.ForTag(Blog.Posts.Slug.From(t), t)))));

    public static SqliteDatabase Database(string dataPath) =>
        new(Options.Create(new StorageOptions { DataPath = dataPath }), NullLogger<SqliteDatabase>.Instance);

    public static SubscriberDraft Draft(string address, SubscriberStatus status = SubscriberStatus.Pending, string cadence = "weekly", params string[] tags) =>
        new(EmailAddress.Parse(address), [.. tags], cadence, status);
}
