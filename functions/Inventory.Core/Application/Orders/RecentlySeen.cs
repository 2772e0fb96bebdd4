using System.Collections.Concurrent;

namespace Inventory.Application.Orders;

/// <summary>Ids seen recently, forgotten after <paramref name="maxAge"/>: a tiny in-process cache of facts that rarely change.</summary>
public sealed class RecentlySeen(TimeSpan maxAge)
{
    private const int MaxEntries = 100_000;
    private readonly ConcurrentDictionary<string, DateTimeOffset> seen = new(StringComparer.Ordinal);

    public bool Contains(string id, DateTimeOffset now) => seen.TryGetValue(id, out var at) && now - at < maxAge;

    public void Add(string id, DateTimeOffset now)
    {
        if (seen.Count >= MaxEntries) seen.Clear(); // bounded memory; forgetting only costs a read
        seen[id] = now;
    }
}
