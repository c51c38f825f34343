using System.Globalization;
using Blog.Mail;
using Blog.MailingList;
using Blog.Posts;
using Blog.Site;
using Blog.Templates;

namespace Blog.Subscriptions;

/// <summary>
/// Renders the welcome mail a confirmation queues (<see cref="SubscriptionOptions.Welcome"/>): the newest
/// <see cref="SubscriptionOptions.WelcomePosts"/> published posts in the subscriber's topics (all posts when they chose
/// none), and the links to change or end the subscription.
/// </summary>
public sealed class WelcomeMail(MailTemplates templates, MailComposer composer, MessageIdMint ids, SubscriptionLinks links, PublishedPosts posts,
    IOptions<SiteOptions> site, IOptions<SubscriptionOptions> options, TimeProvider time)
{
    public static readonly ImmutableArray<string> TemplateNames = ["welcome.txt", "welcome.html", "layout.html"];

    /// <summary>
    /// The welcome for <paramref name="subscriber"/>, confirmed at <paramref name="confirmedAt"/>, for
    /// <see cref="ISubscriberStore.ConfirmAsync"/> to queue; null when welcome mail is off. Read and rendered here, before
    /// the store's transaction, which then only inserts it.
    /// </summary>
    public async Task<QueuedMail?> PrepareAsync(Subscriber subscriber, DateTimeOffset confirmedAt, CancellationToken cancellationToken)
    {
        if (!options.Value.Welcome) return null;
        ImmutableArray<Post> published;
        try
        {
            published = options.Value.WelcomePosts == 0 ? [] : (await posts.SnapshotAsync(cancellationToken)).Published(time.GetUtcNow());
        }
        catch (PostStoreException)
        {
            // The post folder cannot be read just now: the welcome still says how to change the subscription.
            published = [];
        }
        return For(subscriber, confirmedAt, published);
    }

    /// <param name="published">Newest first, as <see cref="PostSnapshot.Published"/> gives them.</param>
    public QueuedMail For(Subscriber subscriber, DateTimeOffset confirmedAt, IReadOnlyList<Post> published)
    {
        var chosen = published.Where(p => subscriber.Tags.IsEmpty || p.TagKeys.Any(subscriber.Tags.Contains)).Take(options.Value.WelcomePosts).ToList();
        var siteOptions = site.Value;
        var subject = $"Welcome to {siteOptions.Title}";
        var model = new TemplateModel
        {
            ["title"] = subject,
            ["site_title"] = siteOptions.Title,
            ["site_url"] = links.Site,
            ["email"] = subscriber.Address,
            ["cadence"] = subscriber.Cadence,
            ["all_topics"] = subscriber.Tags.IsEmpty,
            ["topics"] = TopicNames(subscriber, published),
            ["has_posts"] = chosen.Count > 0,
            ["posts"] = chosen.Select(p => new TemplateModel
            {
                ["title"] = Feeds.XmlText.Clean(p.Title),
                ["url"] = siteOptions.PostUri(p.Slug),
                ["date"] = p.Published.ToString("d MMMM yyyy", CultureInfo.InvariantCulture),
                ["summary"] = Feeds.XmlText.Clean(p.Summary ?? ""),
            }).ToList(),
            ["preferences_url"] = links.Preferences(subscriber),
            ["unsubscribe_url"] = links.Unsubscribe(subscriber),
        };
        var (text, html) = templates.Render("welcome", model);
        // One welcome per confirmation: a resend of it is the same message, but someone who leaves, signs up again and
        // confirms gets a new one that Gmail does not drop as a duplicate (nor the pickup folder overwrite).
        var messageId = ids.For("welcome", subscriber.Id.ToString(CultureInfo.InvariantCulture), confirmedAt.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture));
        return composer.Queue(new MailDraft(EmailAddress.Parse(subscriber.Address), subject, text, html, messageId, "welcome",
            links.Unsubscribe(subscriber), subscriber.Id));
    }

    /// <summary>The subscriber's tags as the posts spell them (the keys are URL-safe forms), in their order.</summary>
    private static List<string> TopicNames(Subscriber subscriber, IReadOnlyList<Post> published)
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var post in published)
            for (var i = 0; i < post.Tags.Length; i++)
                names.TryAdd(post.TagKeys[i], post.Tags[i]);
        return [.. subscriber.Tags.Select(key => names.GetValueOrDefault(key, key))];
    }
}
