using System.Collections.Concurrent;
using Inventory.Application.Catalog;
using Inventory.Domain;
using Inventory.Storage;

namespace Inventory.Application.Purchasing;

/// <summary>
/// One put-away planner per warehouse, built from its locations and loads and kept for <see cref="MaxAge"/>: a receipt
/// costs O(log n) per line, not a read of the whole warehouse. Planning is serialised per warehouse; the planner's
/// in-memory capacity follows each suggestion until the next rebuild reads the stored loads. Before a cached planner's
/// refusal for lack of room stands, the planner is rebuilt from the store and asked again: a location added since (on
/// any instance) or stock moved out may hold the goods, and the refusal would quarantine the receipt.
/// </summary>
public sealed class PutAwayPlans(IDocumentStore store, TimeProvider clock)
{
    public TimeSpan MaxAge { get; init; } = TimeSpan.FromSeconds(30);
    private readonly ConcurrentDictionary<string, Lazy<Task<Built>>> planners = new(StringComparer.Ordinal);

    private sealed record Built(PutAwayPlanner Planner, DateTimeOffset At);

    /// <summary>A planner as taken: its cache slot (to drop that one, not another caller's rebuild), and whether this call built it.</summary>
    private sealed record Taken(Lazy<Task<Built>> Slot, Built Built, bool Fresh);

    /// <summary>Runs <paramref name="use"/> on the warehouse's planner. A <paramref name="use"/> that refuses must not have changed it.</summary>
    public async Task<T> WithPlannerAsync<T>(string warehouseId, Func<PutAwayPlanner, T> use, CancellationToken ct = default)
    {
        var taken = await TakeAsync(warehouseId, ct);
        if (clock.GetUtcNow() - taken.Built.At > MaxAge) taken = await RebuildAsync(warehouseId, taken, ct);
        try { return Use(taken, use); }
        catch (InvalidStateException) when (!taken.Fresh)
        {
            return Use(await RebuildAsync(warehouseId, taken, ct), use);
        }
    }

    private static T Use<T>(Taken taken, Func<PutAwayPlanner, T> use)
    {
        lock (taken.Built.Planner) return use(taken.Built.Planner);
    }

    private Task<Taken> RebuildAsync(string warehouseId, Taken stale, CancellationToken ct)
    {
        planners.TryRemove(KeyValuePair.Create(warehouseId, stale.Slot));
        return TakeAsync(warehouseId, ct);
    }

    /// <summary>The cached planner, or one built now. A build that failed (the store, a cancellation) is not kept.</summary>
    private async Task<Taken> TakeAsync(string warehouseId, CancellationToken ct)
    {
        Lazy<Task<Built>>? mine = null;
        var slot = planners.GetOrAdd(warehouseId, id => mine = new(() => BuildAsync(id, ct)));
        try { return new(slot, await slot.Value, ReferenceEquals(slot, mine)); }
        catch
        {
            planners.TryRemove(KeyValuePair.Create(warehouseId, slot));
            throw;
        }
    }

    private async Task<Built> BuildAsync(string warehouseId, CancellationToken ct)
    {
        var (locations, loads) = await new WarehouseDocuments(store).LocationsAndLoadsAsync(warehouseId, ct);
        return new(new PutAwayPlanner(locations, loads), clock.GetUtcNow());
    }
}
