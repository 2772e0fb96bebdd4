using Inventory.Application.Orders;
using Inventory.Application.Stock;
using Inventory.Domain;
using Inventory.Testing;

namespace Inventory.Core.Tests.Application;

/// <summary>Each bad request is refused with the error that names what is wrong (the field, for validation), and writes nothing.</summary>
public class BadInputWritesNothingTests
{
    public static TheoryData<string, Type, string?, Func<Inventory.Testing.InventoryApplication, Task>> Requests => new()
    {
        { "zero quantity", typeof(ValidationException), "quantity", a => a.Reserve.ExecuteAsync(new ReserveCommand("O1", [new("A", 0)])) },
        { "negative quantity", typeof(ValidationException), "quantity", a => a.Reserve.ExecuteAsync(new ReserveCommand("O1", [new("A", -3)])) },
        { "absurd quantity", typeof(ValidationException), "quantity", a => a.Reserve.ExecuteAsync(new ReserveCommand("O1", [new("A", Limits.MaxQuantity + 1)])) },
        { "lines adding up past the limit", typeof(ValidationException), "lines", a => a.Reserve.ExecuteAsync(new ReserveCommand("O1", [new("A", Limits.MaxQuantity), new("A", 1)])) },
        { "no lines", typeof(ValidationException), "lines", a => a.Reserve.ExecuteAsync(new ReserveCommand("O1", [])) },
        { "illegal order id", typeof(ValidationException), "orderId", a => a.Reserve.ExecuteAsync(new ReserveCommand("O/1", [new("A", 1)])) },
        { "over-long order id", typeof(ValidationException), "orderId", a => a.Reserve.ExecuteAsync(new ReserveCommand(new string('x', 200), [new("A", 1)])) },
        { "hold too long", typeof(ValidationException), "holdMinutes", a => a.Reserve.ExecuteAsync(new ReserveCommand("O1", [new("A", 1)], HoldMinutes: 100_000)) },
        { "unknown product", typeof(ProductNotFoundException), null, a => a.Reserve.ExecuteAsync(new ReserveCommand("O1", [new("ZZ", 1)])) },
        { "adjust with both delta and count", typeof(ValidationException), "delta", a => a.Adjust.ExecuteAsync(new AdjustCommand("A", "L1", 1, 1, "count", "adj-1")) },
        { "adjust with zero delta", typeof(ValidationException), "delta", a => a.Adjust.ExecuteAsync(new AdjustCommand("A", "L1", 0, null, "count", "adj-1")) },
        { "adjust at unknown location", typeof(LocationNotFoundException), null, a => a.Adjust.ExecuteAsync(new AdjustCommand("A", "L9", 1, null, "found", "adj-1")) },
        { "adjust unknown product", typeof(ProductNotFoundException), null, a => a.Adjust.ExecuteAsync(new AdjustCommand("ZZ", "L1", 1, null, "found", "adj-1")) },
        { "transfer to itself", typeof(ValidationException), "toLocationId", a => a.Transfer.ExecuteAsync(new TransferCommand("A", "L1", "L1", 1, "t-1")) },
        { "transfer more than available", typeof(InsufficientStockException), null, a => a.Transfer.ExecuteAsync(new TransferCommand("A", "L1", "L2", 99, "t-1")) },
        { "receive zero", typeof(ValidationException), "quantity", a => a.Receive.ExecuteAsync(new ReceiveCommand("A", "L1", 0, "r-1")) },
        { "receive with control characters in performedBy", typeof(ValidationException), "performedBy", a => a.Receive.ExecuteAsync(new ReceiveCommand("A", "L1", 1, "r-1", PerformedBy: "a\u0001b")) },
        { "release of an unknown order", typeof(ReservationNotFoundException), null, a => a.Release.ExecuteAsync(new ReservationChangeCommand("O404")) },
        { "product without a name", typeof(ValidationException), "name", a => a.SaveProduct.ExecuteAsync(new Product { ProductId = "N", Sku = "S-N", Name = "" }) },
        { "product with a negative weight", typeof(ValidationException), "unitWeightGrams", a => a.SaveProduct.ExecuteAsync(new Product { ProductId = "N", Sku = "S-N", Name = "n", UnitWeightGrams = -1 }) },
        { "warehouse with an unknown time zone", typeof(ValidationException), "timezone", a => a.SaveWarehouse.ExecuteAsync(new Warehouse { WarehouseId = "W2", Name = "w", Timezone = "Mars/Base" }) },
        { "location in an unknown warehouse", typeof(WarehouseNotFoundException), null, a => a.SaveLocation.ExecuteAsync(new Location { LocationId = "L3", WarehouseId = "W9" }) },
    };

    [Theory]
    [MemberData(nameof(Requests))]
    public async Task Is_refused_with_its_own_error_and_changes_nothing(string why, Type expected, string? field,
        Func<Inventory.Testing.InventoryApplication, Task> request)
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
        Assert.True(e?.GetType() == expected, $"{why}: expected {expected.Name}, got {e?.GetType().Name ?? "none"}: {e?.Message}");
        if (field is not null)
            Assert.Contains(((ValidationException)e!).Errors, f => f.Field.Contains(field, StringComparison.Ordinal));
        Assert.Equal(commits, store.Commits);
    }
}
