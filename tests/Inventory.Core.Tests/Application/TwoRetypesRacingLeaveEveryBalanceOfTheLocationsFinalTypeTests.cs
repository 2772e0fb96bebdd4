using Inventory.Domain;
using Inventory.Storage;
using Inventory.Testing;

namespace Inventory.Core.Tests.Application;

/// <summary>
/// Two saves of one location with different types, on two instances: the first one's pass is held at the product's
/// commit while the second saves its type and completes; released, the first finds the type changed after its pass and
/// follows it. Every balance ends with the type the location was saved with last, and no retype marker is left owed.
/// </summary>
public class TwoRetypesRacingLeaveEveryBalanceOfTheLocationsFinalTypeTests
{
    [Fact]
    public async Task The_retype_saved_last_is_the_type_of_every_balance_when_both_saves_end()
    {
        var gate = new GateFirstCommit(new InMemoryDocumentStore(), Collection.Products, "P");
        var first = StockScenario.Over(gate);
        var second = StockScenario.Over(gate.Inner);
        await second.WarehouseAsync("W1");
        await second.LocationAsync("W1", "A", LocationType.PickFace);
        foreach (var p in new[] { "P", "Q" })
        {
            await second.ProductAsync(p);
            await second.StockAsync(p, "A", 10);
        }

        var saving = first.LocationAsync("W1", "A", LocationType.Overflow);
        await gate.Reached.Task; // the first save wrote Overflow and its pass is committing P
        await second.LocationAsync("W1", "A", LocationType.Bulk);
        gate.Release.SetResult();
        await saving;

        Assert.Equal(LocationType.Bulk, (await second.App.Catalog.GetLocationAsync("A")).Type);
        foreach (var p in new[] { "P", "Q" })
            Assert.Equal("Bulk", (await second.App.Stock.GetStockAsync(p)).Locations.Single(l => l.LocationId == "A").LocationType);
        Assert.Empty(await gate.Inner.ReadAsync(Collection.Warehouses, "W1", ["retype|A"], []));
    }
}
