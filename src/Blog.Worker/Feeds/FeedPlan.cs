using Blog.Posts;

namespace Blog.Feeds;

/// <summary>One feed's scope and the posts it carries, newest first.</summary>
public sealed record FeedPlan(FeedScope Scope, ImmutableArray<Post> Posts);
