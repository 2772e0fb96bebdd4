using System.Collections.Concurrent;

namespace Inventory.Application.Orders;

/// <summary>Ids seen recently, forgotten after <paramref name="maxAge"/>: a tiny in-process cache of facts that rarely change.</summary>
public sealed class RecentlySeen(TimeSpan maxAge)
{
    private const int MaxEntries = 100_000;
    private readonly ConcurrentDictionary<string, DateTimeOffset> seen = new(StringComparer.Ordinal);

    /// <summary>
    /// Whether <paramref name="id"/> was seen within the age. Past it, the first caller to ask is answered no and the id
    /// counts as seen again for the others meanwhile: that caller looks again (and <see cref="Forget"/>s the id if the fact
    /// no longer holds), so a hot id's expiry costs one read, not one per request arriving while it is made.
    /// </summary>
    public bool Contains(string id, DateTimeOffset now)
    {
        if (!seen.TryGetValue(id, out var at)) return false;
        return now - at < maxAge || !seen.TryUpdate(id, now, at);
    }

    public void Forget(string id) => seen.TryRemove(id, out _);

    public void Add(string id, DateTimeOffset now)
    {
        if (seen.Count >= MaxEntries) seen.Clear(); // bounded memory; forgetting only costs a read
        seen[id] = now;
    }
}
