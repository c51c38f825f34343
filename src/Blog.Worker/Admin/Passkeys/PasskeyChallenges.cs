using System.Buffers.Text;
using System.Security.Cryptography;

namespace Blog.Admin.Passkeys;

/// <summary>
/// The ceremonies begun on this node, each taken once: a challenge answered twice, or late, finds nothing. Bounded,
/// since anyone may begin a sign-in: past <see cref="Capacity"/> the oldest is dropped (its owner begins again).
/// In memory, so a ceremony finishes on the node that began it (a cluster's proxy keeps a console client on one node).
/// </summary>
internal sealed class PasskeyChallenges(TimeProvider time)
{
    public const int Capacity = 1000;

    /// <summary>How long a ceremony may take: the browser's own timeout and a little more.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(3);

    private readonly Dictionary<string, PendingCeremony> pending = new(StringComparer.Ordinal);
    private readonly Queue<string> order = new();

    public DateTimeOffset Expiry => time.GetUtcNow() + Lifetime;

    /// <summary>Keeps <paramref name="ceremony"/>; returns the random id the browser shows to finish it.</summary>
    public string Begin(PendingCeremony ceremony)
    {
        var id = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        lock (pending)
        {
            var now = time.GetUtcNow();
            // Ids leave the queue in the order they came: taken or expired ones, then the oldest while full. Ids taken
            // behind a live one wait in the queue, so it too is capped.
            while (order.TryPeek(out var oldest) && (pending.Count >= Capacity || order.Count >= 2 * Capacity
                || !pending.TryGetValue(oldest, out var old) || old.Expires <= now))
            {
                order.Dequeue();
                pending.Remove(oldest);
            }
            pending[id] = ceremony;
            order.Enqueue(id);
        }
        return id;
    }

    /// <summary>The ceremony <paramref name="id"/> names, removed so it cannot be used again; null when there is none or it expired.</summary>
    public PendingCeremony? Take(string? id)
    {
        if (string.IsNullOrEmpty(id) || id.Length > 64) return null;
        lock (pending)
        {
            if (!pending.Remove(id, out var ceremony)) return null;
            return ceremony.Expires > time.GetUtcNow() ? ceremony : null;
        }
    }
}
