using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace Inventory.Application;

/// <summary>
/// Whether a state a use case read earlier may be reused for its commit: a lone request decides on what its caller
/// already read (one read, not two) unless that state was read before the product's last commit here, which makes it
/// certainly stale: then it is read again instead of losing a certain race.
/// </summary>
internal sealed class StockFreshness
{
    private static readonly TimeSpan Memory = TimeSpan.FromSeconds(30);
    private readonly ConcurrentDictionary<string, long> lastCommits = new(StringComparer.Ordinal);
    private readonly ConditionalWeakTable<LoadedStock, StrongBox<long>> readAt = [];
    private long commitsSincePrune;

    /// <summary>Notes that <paramref name="loaded"/> was read from <paramref name="startedAt"/> (a <see cref="Stopwatch"/> timestamp).</summary>
    public void Read(LoadedStock loaded, long startedAt) => readAt.AddOrUpdate(loaded, new StrongBox<long>(startedAt));

    public bool IsFresh(string productId, LoadedStock loaded) =>
        !lastCommits.TryGetValue(productId, out var committed) || (readAt.TryGetValue(loaded, out var read) && read.Value > committed);

    public void Committed(string productId)
    {
        var now = Stopwatch.GetTimestamp();
        lastCommits[productId] = now;
        if (Interlocked.Increment(ref commitsSincePrune) % 4096 != 0) return;
        // Only an optimisation depends on this map: forgetting old entries merely risks one conflict and a retry.
        foreach (var (id, at) in lastCommits)
            if (Stopwatch.GetElapsedTime(at, now) > Memory) lastCommits.TryRemove(KeyValuePair.Create(id, at));
    }
}
