using Inventory.Domain;

namespace Inventory.Core.Tests.Domain;

/// <summary>Builds in-memory product partitions for pure domain tests.</summary>
internal static class Stocks
{
    private static readonly string[] References = ["A1", "A2", "T1", "R1"];
    private static readonly string[] ChangeReferences = ["ship-all", "ship-1", "ship-2", "ship-x", "rel-1", "rel-all", "r", "f"];
    private static readonly string[] Orders = ["O1", "O2"];
    public static readonly DateTimeOffset Now = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);

    public static Product Product(string id = "P1", bool active = true) => new() { ProductId = id, Sku = "SKU-" + id, Name = id, IsActive = active };

    public static StockBalance Balance(string location, long onHand, long reserved = 0, LocationType type = LocationType.Bulk, string warehouse = "W1") =>
        new() { LocationId = location, WarehouseId = warehouse, LocationType = type, QuantityOnHand = onHand, QuantityReserved = reserved };

    public static Location Location(string id, LocationType type = LocationType.Bulk, string warehouse = "W1") =>
        new() { LocationId = id, WarehouseId = warehouse, Type = type };

    public static ProductStock With(params StockBalance[] balances) =>
        new(Product(), 0, balances, [KeyValuePair.Create("O1", (ProductReservation?)null), KeyValuePair.Create("O2", (ProductReservation?)null)],
            Enum.GetValues<OperationKind>().SelectMany(k => References.Select(r => KeyValuePair.Create(ProductStock.OperationKey(k, r), (OperationRecord?)null))),
            changes: Orders.SelectMany(o => ChangeReferences.Select(r => KeyValuePair.Create(ProductStock.ChangeKey(o, r), (AppliedChange?)null))));

    public static ReserveRequest Order(string orderId, long quantity, ReservationPolicy policy = ReservationPolicy.AllOrNothing, string? warehouse = null) =>
        new(orderId, quantity, warehouse, policy, null, "test");
}
