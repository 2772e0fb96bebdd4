using Inventory.Application.Orders;
using Inventory.Core.Tests.Escrow;
using Inventory.Domain;
using Inventory.Storage;
using Inventory.Testing;

namespace Inventory.Core.Tests.Application;

/// <summary>
/// A location saved with another type carries it to every balance there (<c>SaveLocation</c>): a save stopped before
/// they all followed is finished by its retry, and a product's escrow buckets follow too.
/// </summary>
public class ARetypeReachesEveryBalanceAtTheLocationTests
{
    private sealed class Crash : Exception;

    [Fact]
    public async Task A_retype_stopped_before_the_balances_followed_is_finished_by_its_retry()
    {
        var store = new InMemoryDocumentStore();
        var s = StockScenario.Over(store);
        await s.WarehouseAsync("W1");
        await s.LocationAsync("W1", "A-PICK", LocationType.PickFace);
        await s.LocationAsync("W1", "B-BULK", LocationType.Bulk);
        await s.ProductAsync("P");
        await s.StockAsync("P", "A-PICK", 10);
        await s.StockAsync("P", "B-BULK", 10);

        store.BeforeCommit = (c, _, _) => { if (c == Collection.Products) throw new Crash(); };
        await Assert.ThrowsAsync<Crash>(() => s.LocationAsync("W1", "A-PICK", LocationType.Overflow));
        store.BeforeCommit = null;
        Assert.Equal(LocationType.Overflow, (await s.App.Catalog.GetLocationAsync("A-PICK")).Type);
        Assert.Single(await store.ReadAsync(Collection.Warehouses, "W1", ["retype|A-PICK"], [])); // owed

        await s.LocationAsync("W1", "A-PICK", LocationType.Overflow); // the retry: the type is unchanged, the marker says go on

        Assert.Empty(await store.ReadAsync(Collection.Warehouses, "W1", ["retype|A-PICK"], []));
        var reserved = await s.App.Reserve.ExecuteAsync(new ReserveCommand("O1", [new("P", 4)]));
        Assert.Equal("B-BULK", Assert.Single(Assert.Single(reserved.Reservation.Lines).Allocations).LocationId);
        Assert.Equal("Overflow", (await s.App.Stock.GetStockAsync("P")).Locations.Single(l => l.LocationId == "A-PICK").LocationType);
    }

    [Fact]
    public async Task A_retype_reaches_the_balances_of_a_products_escrow_buckets()
    {
        var world = await EscrowWorld.CreateAsync(atL1: 50);
        var s = new StockScenario(world.Instance(1));
        await s.LocationAsync("W1", "L3");
        await s.StockAsync(EscrowWorld.Product, "L3", 50);
        // Bucket 1 is granted 50 at L1 and 10 at L3 (both bulk), held by O1, then free again.
        await world.Instance(1).Reserve.ExecuteAsync(new ReserveCommand("O1", [new(EscrowWorld.Product, 60)]));
        await world.Instance(1).Release.ExecuteAsync(new ReservationChangeCommand("O1", null, "r1"));
        Assert.Equal((60, 0), await world.StockOfAsync("P~1"));

        await s.LocationAsync("W1", "L3", LocationType.PickFace);

        var reserved = await world.Instance(1).Reserve.ExecuteAsync(new ReserveCommand("O2", [new(EscrowWorld.Product, 5)]));
        Assert.Equal("L3", Assert.Single(Assert.Single(reserved.Reservation.Lines).Allocations).LocationId); // the pick face, in the bucket
        Assert.Equal((60, 5), await world.StockOfAsync("P~1"));
    }
}
