using Inventory.Application.Counts;
using Inventory.Application.Stock;
using Inventory.Domain;

namespace Inventory.Storage.Cosmos.Tests.Shapes;

/// <summary>
/// Products, warehouses, locations, SKU claims, the catalogue index and stock movements (receipt, adjustment, transfer,
/// a count) as the application writes them, each through the Cosmos item mapping.
/// </summary>
public class CatalogAndStockDocumentsReadBackFromCosmosTests
{
    [Fact]
    public async Task Setting_up_the_catalogue_and_moving_stock_writes_only_shapes_Cosmos_keeps()
    {
        var world = await ShapeWorld.CreateAsync();
        var app = world.App;
        // A resave that changes the SKU: a new claim, the old one deleted, the index row and the product replaced.
        await app.SaveProduct.ExecuteAsync(ShapeWorld.Product(ShapeWorld.A) with { Sku = "A-NEW/1#2", IsActive = false });
        await app.SaveWarehouse.ExecuteAsync(new Warehouse { WarehouseId = "W2", Name = "Dépôt 2", Timezone = "America/New_York" });
        await app.SaveLocation.ExecuteAsync(new Location { LocationId = "W2-OVF", WarehouseId = "W2", Type = LocationType.Overflow, Aisle = "Z", Bin = "9" });
        await app.SaveProduct.ExecuteAsync(ShapeWorld.Product(ShapeWorld.A));
        await app.Adjust.ExecuteAsync(new AdjustCommand(ShapeWorld.A, ShapeWorld.Pick, -3, null, "damaged", "adj-1"));
        await app.Adjust.ExecuteAsync(new AdjustCommand(ShapeWorld.A, ShapeWorld.Pick, null, 90, "cycle-count", "adj-2"));
        await app.Transfer.ExecuteAsync(new TransferCommand(ShapeWorld.A, ShapeWorld.Pick, "W2-OVF", 5, "xfer-1"));
        await app.StockCount.ExecuteAsync(new CountCommand("count-2026-03",
            [new CountRow(1, ShapeWorld.Bulk, ShapeWorld.B, null, 38, "cycle-count"), new CountRow(2, ShapeWorld.Pick, null, "A/10-PK#1", 84, "cycle-count")]));
        await app.CatalogBackfill.RunPageAsync();

        world.Store.AssertNoProblems();
        foreach (var collection in new[] { Collection.Products, Collection.Warehouses, Collection.Locations, Collection.Skus, Collection.Catalog })
            Assert.NotEmpty(world.Writes(collection));
        Assert.Contains(world.Writes(Collection.Skus), w => w.Kind == "delete"); // the old SKU's claim went
    }
}
