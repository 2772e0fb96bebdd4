using Inventory.Domain;
using Inventory.Testing;

namespace Inventory.Core.Tests.Application;

public class SkuUniquenessTests
{
    private readonly StockScenario s = StockScenario.Over(new InMemoryDocumentStore());

    [Fact]
    public async Task A_second_product_cannot_take_a_sku_in_use()
    {
        await s.ProductAsync("A", "SKU-1");
        var e = await Assert.ThrowsAsync<DuplicateSkuException>(() => s.ProductAsync("B", "SKU-1"));
        Assert.Equal("A", e.OwnerProductId);
        await Assert.ThrowsAsync<ProductNotFoundException>(() => s.App.Catalog.GetProductAsync("B"));
    }

    [Fact]
    public async Task A_sku_given_up_by_a_rename_can_be_taken_and_lookups_follow()
    {
        await s.ProductAsync("A", "SKU-1");
        await s.ProductAsync("A", "SKU-2");
        Assert.Null(await s.App.Catalog.FindProductBySkuAsync("SKU-1"));
        await s.ProductAsync("B", "SKU-1");
        Assert.Equal("B", (await s.App.Catalog.FindProductBySkuAsync("SKU-1"))!.ProductId);
        Assert.Equal("A", (await s.App.Catalog.FindProductBySkuAsync("SKU-2"))!.ProductId);
    }

    [Fact]
    public async Task Saving_the_same_product_twice_updates_it()
    {
        var first = await s.App.SaveProduct.ExecuteAsync(new Product { ProductId = "A", Sku = "S", Name = "one" });
        var second = await s.App.SaveProduct.ExecuteAsync(new Product { ProductId = "A", Sku = "S", Name = "two" });
        Assert.True(first.Created);
        Assert.False(second.Created);
        Assert.Equal("two", (await s.App.Catalog.GetProductAsync("A")).Name);
    }
}

public class LocationOwnershipTests
{
    [Fact]
    public async Task A_location_id_cannot_move_to_another_warehouse_and_is_found_by_id_alone()
    {
        var s = StockScenario.Over(new InMemoryDocumentStore());
        await s.WarehouseAsync("W1");
        await s.WarehouseAsync("W2");
        await s.LocationAsync("W1", "L1", LocationType.PickFace);
        await Assert.ThrowsAsync<ValidationException>(() => s.LocationAsync("W2", "L1"));
        Assert.Equal("W1", (await s.App.Catalog.GetLocationAsync("L1")).WarehouseId);
        var w1 = await s.App.Catalog.GetWarehouseAsync("W1");
        Assert.Equal("L1", Assert.Single(w1.Locations).LocationId);
        Assert.Empty((await s.App.Catalog.GetWarehouseAsync("W2")).Locations);
    }
}
