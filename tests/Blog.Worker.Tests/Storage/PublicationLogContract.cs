using Blog.Posts;

namespace Blog.Tests.Storage;

/// <summary>
/// What every publication log must do: the posts published when it begins are taken at their own dates (an upgrade
/// mails no back catalogue); a post seen later is new from then, whatever its date; a row is written once; and nodes
/// seeing a post at once record one time.
/// </summary>
public abstract class PublicationLogContract : StoreContract
{
    private static Post P(string id, DateTimeOffset published) =>
        new($"/posts/{id}.md", id, id, id, published, published, null, [], false);

    [Fact]
    public async Task The_posts_published_when_the_log_begins_are_taken_at_their_own_dates()
    {
        Post[] old = [P("a", Now.AddDays(-30)), P("b", Now.AddDays(-2))];
        var since = await Publications.ObserveAsync(old, Now, CancellationToken.None);
        Assert.Equal(Now.AddDays(-30), since["a"]);
        Assert.Equal(Now.AddDays(-2), since["b"]);
    }

    [Fact]
    public async Task A_post_seen_later_is_new_from_then_whatever_its_date_and_its_time_is_written_once()
    {
        await Publications.ObserveAsync([P("a", Now.AddDays(-30))], Now, CancellationToken.None);
        // A draft dated a week back, published now; and a post given an old date on purpose.
        var since = await Publications.ObserveAsync([P("a", Now.AddDays(-30)), P("draft", Now.AddDays(-7)), P("backdated", Now.AddYears(-1))],
            Now.AddHours(1), CancellationToken.None);
        Assert.Equal(Now.AddDays(-30), since["a"]);
        Assert.Equal(Now.AddHours(1), since["draft"]);
        Assert.Equal(Now.AddHours(1), since["backdated"]);

        // Later observations (an edit changes the date, another process, a restart) never move it.
        var again = await Publications.ObserveAsync([P("draft", Now.AddDays(1))], Now.AddDays(2), CancellationToken.None);
        Assert.Equal(Now.AddHours(1), again["draft"]);
    }

    [Fact]
    public async Task Writers_seeing_a_new_post_at_once_record_one_time()
    {
        await Publications.ObserveAsync([P("a", Now.AddDays(-30))], Now, CancellationToken.None);
        var post = P("new", Now.AddMinutes(-5));
        var times = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            Task.Run(() => Publications.ObserveAsync([post], Now.AddSeconds(i), CancellationToken.None))));
        Assert.Single(times.Select(t => t["new"]).Distinct());
    }
}
