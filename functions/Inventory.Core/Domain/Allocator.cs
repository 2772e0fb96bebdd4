namespace Inventory.Domain;

/// <summary>Which location types are drawn from first when reserving. Default: pick faces, then bulk, then overflow.</summary>
public sealed record AllocationOptions(IReadOnlyList<LocationType> TypePriority)
{
    public static AllocationOptions Default { get; } = new([LocationType.PickFace, LocationType.Bulk, LocationType.Overflow]);

    public int Rank(LocationType type)
    {
        var index = TypePriority.ToList().IndexOf(type);
        return index < 0 ? int.MaxValue : index;
    }
}

public static class Allocator
{
    /// <summary>
    /// Locations in the order they are drawn from: type priority, then most available first (fewer splits), then
    /// location id so the choice is deterministic.
    /// </summary>
    public static IEnumerable<StockBalance> Candidates(IEnumerable<StockBalance> balances, string? warehouseId, AllocationOptions options) =>
        balances
            .Where(b => b.QuantityAvailable > 0 && (warehouseId is null || b.WarehouseId == warehouseId))
            .OrderBy(b => options.Rank(b.LocationType))
            .ThenByDescending(b => b.QuantityAvailable)
            .ThenBy(b => b.LocationId, StringComparer.Ordinal);

    /// <summary>Takes up to <paramref name="quantity"/> from the candidates in order, splitting over locations.</summary>
    public static IReadOnlyList<Allocation> Allocate(IEnumerable<StockBalance> candidates, long quantity)
    {
        var result = new List<Allocation>();
        var left = quantity;
        foreach (var balance in candidates)
        {
            if (left == 0) break;
            var take = Math.Min(left, balance.QuantityAvailable);
            result.Add(new Allocation(balance.LocationId, balance.WarehouseId, take));
            left -= take;
        }
        return result;
    }
}
