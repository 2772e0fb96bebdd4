using Inventory.Application.Orders;
using Inventory.Application.Stock;
using Inventory.Domain;
using Inventory.Testing;

namespace Inventory.Core.Tests.Application;

public class BadInputWritesNothingTests
{
    public static TheoryData<string, Func<Inventory.Application.InventoryApplication, Task>> Requests => new()
    {
        { "zero quantity", a => a.Reserve.ExecuteAsync(new ReserveCommand("O1", [new("A", 0)])) },
        { "negative quantity", a => a.Reserve.ExecuteAsync(new ReserveCommand("O1", [new("A", -3)])) },
        { "absurd quantity", a => a.Reserve.ExecuteAsync(new ReserveCommand("O1", [new("A", Limits.MaxQuantity + 1)])) },
        { "lines adding up past the limit", a => a.Reserve.ExecuteAsync(new ReserveCommand("O1", [new("A", Limits.MaxQuantity), new("A", 1)])) },
        { "no lines", a => a.Reserve.ExecuteAsync(new ReserveCommand("O1", [])) },
        { "illegal order id", a => a.Reserve.ExecuteAsync(new ReserveCommand("O/1", [new("A", 1)])) },
        { "over-long order id", a => a.Reserve.ExecuteAsync(new ReserveCommand(new string('x', 200), [new("A", 1)])) },
        { "hold too long", a => a.Reserve.ExecuteAsync(new ReserveCommand("O1", [new("A", 1)], HoldMinutes: 100_000)) },
        { "unknown product", a => a.Reserve.ExecuteAsync(new ReserveCommand("O1", [new("ZZ", 1)])) },
        { "adjust with both delta and count", a => a.Adjust.ExecuteAsync(new AdjustCommand("A", "L1", 1, 1, "count", "adj-1")) },
        { "adjust with zero delta", a => a.Adjust.ExecuteAsync(new AdjustCommand("A", "L1", 0, null, "count", "adj-1")) },
        { "adjust at unknown location", a => a.Adjust.ExecuteAsync(new AdjustCommand("A", "L9", 1, null, "found", "adj-1")) },
        { "adjust unknown product", a => a.Adjust.ExecuteAsync(new AdjustCommand("ZZ", "L1", 1, null, "found", "adj-1")) },
        { "transfer to itself", a => a.Transfer.ExecuteAsync(new TransferCommand("A", "L1", "L1", 1, "t-1")) },
        { "transfer more than available", a => a.Transfer.ExecuteAsync(new TransferCommand("A", "L1", "L2", 99, "t-1")) },
        { "receive zero", a => a.Receive.ExecuteAsync(new ReceiveCommand("A", "L1", 0, "r-1")) },
        { "receive with control characters in performedBy", a => a.Receive.ExecuteAsync(new ReceiveCommand("A", "L1", 1, "r-1", PerformedBy: "a\u0001b")) },
        { "release of an unknown order", a => a.Release.ExecuteAsync(new ReservationChangeCommand("O404")) },
        { "product without a name", a => a.SaveProduct.ExecuteAsync(new Product { ProductId = "N", Sku = "S-N", Name = "" }) },
        { "product with a negative weight", a => a.SaveProduct.ExecuteAsync(new Product { ProductId = "N", Sku = "S-N", Name = "n", UnitWeightGrams = -1 }) },
        { "warehouse with an unknown time zone", a => a.SaveWarehouse.ExecuteAsync(new Warehouse { WarehouseId = "W2", Name = "w", Timezone = "Mars/Base" }) },
        { "location in an unknown warehouse", a => a.SaveLocation.ExecuteAsync(new Location { LocationId = "L3", WarehouseId = "W9" }) },
    };

    [Theory]
    [MemberData(nameof(Requests))]
    public async Task Is_refused_with_a_domain_error_and_changes_nothing(string why, Func<Inventory.Application.InventoryApplication, Task> request)
    {
        var store = new InMemoryDocumentStore();
        var s = StockScenario.Over(store);
        await s.WarehouseAsync("W1");
        await s.LocationAsync("W1", "L1");
        await s.LocationAsync("W1", "L2");
        await s.ProductAsync("A");
        await s.StockAsync("A", "L1", 5);
        var commits = store.Commits;

        var e = await Record.ExceptionAsync(() => request(s.App));
        Assert.True(e is DomainException, $"{why}: expected a DomainException, got {e?.GetType().Name ?? "none"}");
        Assert.Equal(commits, store.Commits);
    }
}
