using Blog.Posts;

namespace Blog.Tests.Storage;

/// <summary>
/// What every publication log must do: the posts published when it begins are taken at their own dates (an upgrade
/// mails no back catalogue); a post seen later is new from then, whatever its date; a row is written once; and nodes
/// seeing a post at once record one time.
/// </summary>
public abstract class PublicationLogContract : StoreContract
{
    private static readonly TimeSpan CoolOff = TimeSpan.FromMinutes(30);

    private static Post P(string id, DateTimeOffset published) =>
        new($"/posts/{id}.md", id, id, id, published, published, null, [], false);

    [Fact]
    public async Task A_post_pulled_back_within_the_cool_off_is_new_again_when_it_returns_and_one_pulled_later_is_not()
    {
        await Publications.ObserveAsync([P("a", Now.AddDays(-30))], Now, CoolOff, CancellationToken.None);
        Post[] both = [P("a", Now.AddDays(-30)), P("hasty", Now.AddMinutes(-1)), P("kept", Now.AddMinutes(-1))];
        await Publications.ObserveAsync(both, Now, CoolOff, CancellationToken.None);
        // Ten minutes on "hasty" is pulled back (never mailable yet); an hour on "kept" is, after its cool-off.
        await Publications.ObserveAsync([both[0], both[2]], Now.AddMinutes(10), CoolOff, CancellationToken.None);
        await Publications.ObserveAsync([both[0]], Now.AddHours(1), CoolOff, CancellationToken.None);
        var back = await Publications.ObserveAsync(both, Now.AddDays(2), CoolOff, CancellationToken.None);
        Assert.Equal(Now.AddDays(2), back["hasty"]);
        Assert.Equal(Now, back["kept"]);
    }

    [Fact]
    public async Task A_blog_that_moves_to_another_host_keeps_its_posts_record()
    {
        static Post On(string host, string slug, DateTimeOffset date) =>
            new($"/posts/{slug}.md", slug, $"tag:{host},{date:yyyy-MM-dd}:{slug}", slug, date, date, null, [], false);
        await Publications.ObserveAsync([On("blog.example.com", "old", Now.AddDays(-30))], Now, CoolOff, CancellationToken.None);
        var moved = await Publications.ObserveAsync([On("www.example.org", "old", Now.AddDays(-30)), On("www.example.org", "new", Now.AddDays(-1))],
            Now.AddDays(1), CoolOff, CancellationToken.None);
        Assert.Equal(Now.AddDays(-30), moved["tag:www.example.org,2026-01-30:old"]);
        Assert.Equal(Now.AddDays(1), moved["tag:www.example.org,2026-02-28:new"]);
    }

    [Fact]
    public async Task The_posts_published_when_the_log_begins_are_taken_at_their_own_dates()
    {
        Post[] old = [P("a", Now.AddDays(-30)), P("b", Now.AddDays(-2))];
        var since = await Publications.ObserveAsync(old, Now, CoolOff, CancellationToken.None);
        Assert.Equal(Now.AddDays(-30), since["a"]);
        Assert.Equal(Now.AddDays(-2), since["b"]);
    }

    [Fact]
    public async Task A_post_seen_later_is_new_from_then_whatever_its_date_and_its_time_is_written_once()
    {
        await Publications.ObserveAsync([P("a", Now.AddDays(-30))], Now, CoolOff, CancellationToken.None);
        // A draft dated a week back, published now; and a post given an old date on purpose.
        var since = await Publications.ObserveAsync([P("a", Now.AddDays(-30)), P("draft", Now.AddDays(-7)), P("backdated", Now.AddYears(-1))],
            Now.AddHours(1), CoolOff, CancellationToken.None);
        Assert.Equal(Now.AddDays(-30), since["a"]);
        Assert.Equal(Now.AddHours(1), since["draft"]);
        Assert.Equal(Now.AddHours(1), since["backdated"]);

        // Later observations (an edit changes the date, another process, a restart) never move it.
        var again = await Publications.ObserveAsync([P("draft", Now.AddDays(1))], Now.AddDays(2), CoolOff, CancellationToken.None);
        Assert.Equal(Now.AddHours(1), again["draft"]);
    }

    [Fact]
    public async Task Writers_seeing_a_new_post_at_once_record_one_time()
    {
        await Publications.ObserveAsync([P("a", Now.AddDays(-30))], Now, CoolOff, CancellationToken.None);
        var post = P("new", Now.AddMinutes(-5));
        var times = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            Task.Run(() => Publications.ObserveAsync([post], Now.AddSeconds(i), CoolOff, CancellationToken.None))));
        Assert.Single(times.Select(t => t["new"]).Distinct());
    }
}
