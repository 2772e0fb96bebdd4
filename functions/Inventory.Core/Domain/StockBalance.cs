namespace Inventory.Domain;

/// <summary>The specification's Inventory: one product at one location. Available is always derived, never stored.</summary>
public sealed record StockBalance
{
    public required string LocationId { get; init; }
    public required string WarehouseId { get; init; }
    /// <summary>
    /// A copy of the location's type, so allocation needs no read outside the partition: taken when the balance is created,
    /// refreshed by every movement given the location and by a retype of the location (<see cref="ProductStock.Retype"/>).
    /// </summary>
    public LocationType LocationType { get; init; }
    public long QuantityOnHand { get; init; }
    public long QuantityReserved { get; init; }
    public long QuantityAvailable => QuantityOnHand - QuantityReserved;
    public DateTimeOffset? LastCountedAt { get; init; }
    public DateTimeOffset? LastMovedAt { get; init; }

    public static StockBalance Empty(Location location) =>
        new() { LocationId = location.LocationId, WarehouseId = location.WarehouseId, LocationType = location.Type };
}
