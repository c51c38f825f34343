using System.Text;
using Blog.Mail;
using Blog.MailingList;

namespace Blog.Tests.Storage;

/// <summary>What every outbox must do: claims under a lease, never the same item to two senders, failures kept.</summary>
public abstract class MailOutboxContract : StoreContract
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);

    private async Task Queue(int n) => await Store.ImportAsync(
        [.. Enumerable.Range(0, n).Select(i => TestSubscriptions.Draft($"user{i:D3}@example.com"))], Now,
        s => new QueuedMail(s.Address, $"m{s.Id}@test", "confirm", Encoding.ASCII.GetBytes("x")), null, CancellationToken.None);

    [Fact]
    public async Task A_claimed_item_is_nobody_elses_until_its_lease_ends()
    {
        await Queue(3);
        var first = await Outbox.ClaimAsync(Now, Lease, 2, CancellationToken.None);
        var second = await Outbox.ClaimAsync(Now, Lease, 10, CancellationToken.None);
        Assert.Equal(2, first.Count);
        Assert.Single(second);
        Assert.Empty(first.Select(i => i.Id).Intersect(second.Select(i => i.Id)));
        // A claim says whom its mail is to, for the return address that names them.
        Assert.All(first.Concat(second), i => Assert.Equal($"m{i.SubscriberId}@test", i.MessageId));
        Assert.Empty(await Outbox.ClaimAsync(Now.AddMinutes(4), Lease, 10, CancellationToken.None));
        // The sender died: after the lease another one takes all three.
        Assert.Equal(3, (await Outbox.ClaimAsync(Now.Add(Lease), Lease, 10, CancellationToken.None)).Count);
    }

    [Fact]
    public async Task Concurrent_claimers_never_get_the_same_item()
    {
        await Queue(200);
        var claims = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            var mine = new List<long>();
            while (true)
            {
                var batch = await Outbox.ClaimAsync(Now, Lease, 7, CancellationToken.None);
                if (batch.Count == 0) return mine;
                mine.AddRange(batch.Select(i => i.Id));
            }
        })));
        var all = claims.SelectMany(c => c).ToList();
        Assert.Equal(200, all.Count);
        Assert.Equal(200, all.Distinct().Count());
    }

    [Fact]
    public async Task Settled_items_leave_retried_ones_wait_and_failed_ones_are_kept_with_their_reason()
    {
        await Queue(3);
        var items = await Outbox.ClaimAsync(Now, Lease, 10, CancellationToken.None);
        await Outbox.CompleteAsync(items[0], CancellationToken.None);
        await Outbox.RetryAsync(items[1], Now.AddMinutes(1), "451 try later", CancellationToken.None);
        await Outbox.FailAsync(items[2], "550 no such user", CancellationToken.None);
        Assert.Equal(new OutboxCounts(1, 1), await Outbox.CountAsync(CancellationToken.None));

        Assert.Empty(await Outbox.ClaimAsync(Now.AddSeconds(59), Lease, 10, CancellationToken.None));
        var retry = Assert.Single(await Outbox.ClaimAsync(Now.AddMinutes(1), Lease, 10, CancellationToken.None));
        Assert.Equal((items[1].Id, 1), (retry.Id, retry.Attempts));
    }

    [Fact]
    public async Task Released_items_can_be_claimed_again_at_once()
    {
        await Queue(2);
        var items = await Outbox.ClaimAsync(Now, Lease, 10, CancellationToken.None);
        await Outbox.ReleaseAsync(items, CancellationToken.None);
        var again = await Outbox.ClaimAsync(Now, Lease, 10, CancellationToken.None);
        Assert.Equal(items.Select(i => i.Id), again.Select(i => i.Id));
        Assert.All(again, i => Assert.Equal(0, i.Attempts));
    }

    [Fact]
    public async Task A_settle_under_a_lease_that_ran_out_leaves_the_new_claim_alone()
    {
        // Every settle, one item each: the first sender's lease ran out, a second sender claimed them all since.
        await Queue(4);
        var stale = await Outbox.ClaimAsync(Now, Lease, 10, CancellationToken.None);
        var later = Now.Add(Lease);
        var current = await Outbox.ClaimAsync(later, Lease, 10, CancellationToken.None);
        Assert.Equal(4, current.Count);

        await Outbox.CompleteAsync(stale[0], CancellationToken.None);
        await Outbox.RetryAsync(stale[1], later, "451 try later", CancellationToken.None);
        await Outbox.FailAsync(stale[2], "550 no such user", CancellationToken.None);
        await Outbox.ReleaseAsync([stale[3]], CancellationToken.None);

        // All four still pending, untried, and held by the second sender: a third finds nothing to claim.
        Assert.Equal(new OutboxCounts(4, 0), await Outbox.CountAsync(CancellationToken.None));
        Assert.Empty(await Outbox.ClaimAsync(later, Lease, 10, CancellationToken.None));
        // The second sender's own settles still work.
        await Outbox.CompleteAsync(current[0], CancellationToken.None);
        await Outbox.ReleaseAsync([current[3]], CancellationToken.None);
        var again = Assert.Single(await Outbox.ClaimAsync(later, Lease, 10, CancellationToken.None));
        Assert.Equal((current[3].Id, 0), (again.Id, again.Attempts));
    }
}
