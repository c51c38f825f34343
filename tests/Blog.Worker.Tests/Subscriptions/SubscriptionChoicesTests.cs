using Blog.Digests;
using Blog.Feeds;
using Blog.Posts;
using Blog.Subscriptions;
using Microsoft.Extensions.Options;

namespace Blog.Tests.Subscriptions;

public sealed class SubscriptionChoicesTests
{
    [Fact]
    public void A_tag_too_long_for_a_folder_name_can_be_chosen_by_its_name_and_is_stored_by_the_key_its_posts_carry()
    {
        var name = new string('語', 100);
        var key = Slug.TagKey(name);
        var choices = new SubscriptionChoices(Options.Create(new DigestsOptions()), Options.Create(new SubscriptionOptions()),
            new KnownTags(() => [new FeedScope(key, name), new FeedScope("rag", "RAG")]));

        Assert.Null(choices.CheckTags([name, "RAG"], out var keys));
        Assert.Equal(new[] { key, "rag" }.Order(StringComparer.Ordinal), keys);
        Assert.Null(choices.CheckTags([key], out keys));
        Assert.Equal(key, Assert.Single(keys));
    }
}
