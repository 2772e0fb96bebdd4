using System.Collections.Concurrent;
using Inventory.Application.Catalog;
using Inventory.Application.Stock;
using Inventory.Domain;
using Inventory.Storage;

namespace Inventory.Application.Purchasing;

/// <summary>A purchase-order line taken into a planner before its stock commit: its movement's reference, where, what and how many.</summary>
public sealed record Placement(string Reference, string LocationId, Product Product, long Quantity);

/// <summary>
/// One put-away planner per warehouse, built from its locations and loads and kept for <see cref="MaxAge"/>: a receipt
/// costs O(log n) per line, not a read of the whole warehouse. Planning is serialised per warehouse; the planner's
/// in-memory capacity follows each suggestion until the next rebuild reads the stored loads. Before a cached planner's
/// refusal for lack of room stands, the planner is rebuilt from the store and asked again: a location added since (on
/// any instance) or stock moved out may hold the goods, and the refusal would quarantine the receipt. Stock that
/// reaches a location by another way than a line placed here (a direct receipt, an upward adjustment or count, a
/// transfer in, a line placed on another instance) is taken into the cached planner after its commit
/// (<see cref="HandleAsync"/>). Lines placed here and not landed yet are kept in flight, so a planner rebuilt meanwhile
/// from the stored loads, which do not hold them, counts them too.
/// </summary>
public sealed class PutAwayPlans(IDocumentStore store, TimeProvider clock) : IStockChangeHandler
{
    public TimeSpan MaxAge { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a placed line is counted by rebuilt planners without being seen landing (a receipt refused or left by a crash).</summary>
    public TimeSpan InFlightFor { get; init; } = TimeSpan.FromMinutes(10);

    private readonly ConcurrentDictionary<string, Lazy<Task<Built>>> planners = new(StringComparer.Ordinal);

    /// <summary>Per warehouse, by reference: the lines placed and not seen landing, with the planners that count them. Guarded by <see cref="gate"/>.</summary>
    private readonly Dictionary<string, Dictionary<string, InFlight>> inFlight = new(StringComparer.Ordinal);
    private readonly Lock gate = new();

    private sealed record Built(PutAwayPlanner Planner, DateTimeOffset At);

    private sealed record InFlight(Placement Line, DateTimeOffset At, List<PutAwayPlanner> CountedBy);

    /// <summary>A planner as taken: its cache slot (to drop that one, not another caller's rebuild), and whether this call built it.</summary>
    private sealed record Taken(Lazy<Task<Built>> Slot, Built Built, bool Fresh);

    /// <summary>
    /// Runs <paramref name="use"/> on the warehouse's planner. A <paramref name="use"/> that refuses must not have changed
    /// it. <paramref name="placed"/>: the lines its result took into the planner, kept in flight until they land.
    /// </summary>
    public async Task<T> WithPlannerAsync<T>(string warehouseId, Func<PutAwayPlanner, T> use, Func<T, IEnumerable<Placement>>? placed,
        CancellationToken ct = default)
    {
        var taken = await TakeAsync(warehouseId, ct);
        if (clock.GetUtcNow() - taken.Built.At > MaxAge) taken = await RebuildAsync(warehouseId, taken, ct);
        try { return Use(taken, use, placed, warehouseId); }
        catch (InvalidStateException) when (!taken.Fresh)
        {
            return Use(await RebuildAsync(warehouseId, taken, ct), use, placed, warehouseId);
        }
    }

    /// <summary>Lines placed for a receipt that was then refused: no longer counted by the planners built from now on.</summary>
    public void Forget(string warehouseId, IEnumerable<string> references)
    {
        lock (gate)
            if (inFlight.TryGetValue(warehouseId, out var lines))
                foreach (var reference in references) lines.Remove(reference);
    }

    /// <summary>
    /// The post-commit step's handler (after the loads are written): each unit a movement put at a location is taken into
    /// the warehouse's cached planner, unless that planner counts it already (a line it placed, or took in flight when
    /// built). It followed only its own lines, so the next line went where a direct receipt had taken the room, beyond the
    /// location's capacity, for as long as the cache lived: nothing checks capacity at the stock commit, put-away being
    /// advice. A planner still being built may have read the loads before this movement's: it is dropped, and the next
    /// plan builds again. A movement without entries is a replay, whose first run may have failed before this step (its
    /// loads write, say): the warehouses it holds stock in are built again from the loads the replay has just written.
    /// A planner built after the loads were written counts a line still in flight twice until its next rebuild: room is
    /// only ever under-counted.
    /// </summary>
    public Task HandleAsync(StockChanged change, CancellationToken ct)
    {
        foreach (var moved in change.Moves.Where(m => PutAwayPlanner.Need(m.Product, 1) != (0, 0)))
        {
            if (moved.Entries.Count == 0)
                foreach (var warehouseId in moved.Balances.Where(b => b.QuantityOnHand > 0).Select(b => b.WarehouseId).Distinct(StringComparer.Ordinal))
                    if (planners.TryGetValue(warehouseId, out var stale)) planners.TryRemove(KeyValuePair.Create(warehouseId, stale));
            foreach (var (warehouseId, entry) in moved.Entries.Where(e => e.Entry.OnHandDelta > 0))
            {
                PutAwayPlanner? takeIn = null;
                lock (gate)
                {
                    var counted = inFlight.TryGetValue(warehouseId, out var lines) && lines.Remove(entry.ReferenceId, out var line) ? line.CountedBy : [];
                    if (!planners.TryGetValue(warehouseId, out var slot)) continue; // none cached: the next build reads the loads
                    if (slot is not { IsValueCreated: true, Value.IsCompletedSuccessfully: true }) planners.TryRemove(KeyValuePair.Create(warehouseId, slot));
                    else if (!counted.Contains(slot.Value.Result.Planner)) takeIn = slot.Value.Result.Planner;
                }
                if (takeIn is not null)
                    lock (takeIn) takeIn.Occupy(entry.LocationId, moved.Product, entry.OnHandDelta);
            }
        }
        return Task.CompletedTask;
    }

    private T Use<T>(Taken taken, Func<PutAwayPlanner, T> use, Func<T, IEnumerable<Placement>>? placed, string warehouseId)
    {
        var planner = taken.Built.Planner;
        lock (planner)
        {
            var result = use(planner);
            if (placed is not null)
                lock (gate)
                {
                    var lines = Lines(warehouseId);
                    foreach (var line in placed(result)) lines[line.Reference] = new(line, clock.GetUtcNow(), [planner]);
                }
            return result;
        }
    }

    /// <summary>The warehouse's lines in flight, those older than <see cref="InFlightFor"/> dropped. Under <see cref="gate"/>.</summary>
    private Dictionary<string, InFlight> Lines(string warehouseId)
    {
        if (!inFlight.TryGetValue(warehouseId, out var lines)) inFlight[warehouseId] = lines = new(StringComparer.Ordinal);
        var now = clock.GetUtcNow();
        foreach (var old in lines.Where(l => now - l.Value.At > InFlightFor).Select(l => l.Key).ToArray()) lines.Remove(old);
        return lines;
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

    /// <summary>From the stored loads, with the lines in flight, which they do not hold yet.</summary>
    private async Task<Built> BuildAsync(string warehouseId, CancellationToken ct)
    {
        var (locations, loads) = await new WarehouseDocuments(store).LocationsAndLoadsAsync(warehouseId, ct);
        var planner = new PutAwayPlanner(locations, loads);
        lock (gate)
            foreach (var line in Lines(warehouseId).Values)
            {
                planner.Occupy(line.Line.LocationId, line.Line.Product, line.Line.Quantity);
                line.CountedBy.Add(planner);
            }
        return new(planner, clock.GetUtcNow());
    }
}
