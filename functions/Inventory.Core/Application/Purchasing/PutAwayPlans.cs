using System.Collections.Concurrent;
using Inventory.Application.Catalog;
using Inventory.Domain;
using Inventory.Storage;

namespace Inventory.Application.Purchasing;

/// <summary>
/// One put-away planner per warehouse, built from its locations and loads and kept for <see cref="MaxAge"/>: a receipt
/// costs O(log n) per line, not a read of the whole warehouse. Planning is serialised per warehouse; the planner's
/// in-memory capacity follows each suggestion until the next rebuild reads the stored loads.
/// </summary>
public sealed class PutAwayPlans(IDocumentStore store, TimeProvider clock)
{
    public TimeSpan MaxAge { get; init; } = TimeSpan.FromSeconds(30);
    private readonly ConcurrentDictionary<string, Lazy<Task<(PutAwayPlanner Planner, DateTimeOffset Built)>>> planners = new(StringComparer.Ordinal);

    public async Task<T> WithPlannerAsync<T>(string warehouseId, Func<PutAwayPlanner, T> use, CancellationToken ct = default)
    {
        var entry = await planners.GetOrAdd(warehouseId, id => new(() => BuildAsync(id, ct))).Value;
        if (clock.GetUtcNow() - entry.Built > MaxAge)
        {
            planners.TryRemove(warehouseId, out _);
            entry = await planners.GetOrAdd(warehouseId, id => new(() => BuildAsync(id, ct))).Value;
        }
        lock (entry.Planner) return use(entry.Planner);
    }

    private async Task<(PutAwayPlanner, DateTimeOffset)> BuildAsync(string warehouseId, CancellationToken ct)
    {
        var (locations, loads) = await new WarehouseDocuments(store).LocationsAndLoadsAsync(warehouseId, ct);
        return (new PutAwayPlanner(locations, loads), clock.GetUtcNow());
    }
}
