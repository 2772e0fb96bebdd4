using System.Collections.Concurrent;
using Inventory.Application.Catalog;
using Inventory.Application.Stock;
using Inventory.Domain;
using Inventory.Storage;

namespace Inventory.Application.Purchasing;

/// <summary>
/// One put-away planner per warehouse, built from its locations and loads and kept for <see cref="MaxAge"/>: a receipt
/// costs O(log n) per line, not a read of the whole warehouse. Planning is serialised per warehouse; the planner's
/// in-memory capacity follows each suggestion until the next rebuild reads the stored loads. Before a cached planner's
/// refusal for lack of room stands, the planner is rebuilt from the store and asked again: a location added since (on
/// any instance) or stock moved out may hold the goods, and the refusal would quarantine the receipt. Stock that
/// reaches a location by another way than its lines (a direct receipt, an upward adjustment or count, a transfer in)
/// is taken into the cached planner after its commit (<see cref="HandleAsync"/>).
/// </summary>
public sealed class PutAwayPlans(IDocumentStore store, TimeProvider clock) : IStockChangeHandler
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

    /// <summary>
    /// The post-commit step's handler (after the loads are written): each unit a movement put at a location, other than a
    /// purchase-order line (which the planner placed itself), is taken into the warehouse's cached planner. It followed
    /// only its own lines, so the next line went where a direct receipt had taken the room, beyond the location's
    /// capacity, for as long as the cache lived: nothing checks capacity at the stock commit, put-away being advice. A
    /// planner still being built may have read the loads before this movement's: it is dropped, and the next plan builds
    /// again. Taking in rather than dropping keeps what this instance placed for receipts not applied yet, which a rebuild
    /// from the stored loads does not know. A planner built after the loads were written counts the units twice until
    /// its next rebuild: room is only ever under-counted. Stock moved on another instance is seen by the next rebuild.
    /// </summary>
    public Task HandleAsync(StockChanged change, CancellationToken ct)
    {
        foreach (var moved in change.Moves.Where(m => PutAwayPlanner.Need(m.Product, 1) != (0, 0)))
            foreach (var (warehouseId, entry) in moved.Entries)
            {
                if (entry.OnHandDelta <= 0 || ReceiptReference.IsPurchaseOrder(entry.ReferenceId)) continue;
                if (!planners.TryGetValue(warehouseId, out var slot)) continue; // none cached: the next build reads the loads
                if (slot is { IsValueCreated: true, Value.IsCompletedSuccessfully: true })
                {
                    var planner = slot.Value.Result.Planner;
                    lock (planner) planner.Occupy(entry.LocationId, moved.Product, entry.OnHandDelta);
                }
                else planners.TryRemove(KeyValuePair.Create(warehouseId, slot));
            }
        return Task.CompletedTask;
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
