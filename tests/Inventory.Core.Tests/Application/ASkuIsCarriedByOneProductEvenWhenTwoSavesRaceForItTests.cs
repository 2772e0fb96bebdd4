using Inventory.Domain;
using Inventory.Storage;
using Inventory.Testing;

namespace Inventory.Core.Tests.Application;

/// <summary>
/// Found in review: SKU uniqueness (issue 2: "enforced by the store, not only checked") has a window. A save creates the
/// SKU's claim, then writes the product. Another product's save that finds the claim reads its owner: while the owner's
/// save has not written the product yet (a new product, or a rename still carrying its old SKU), the owner does not
/// carry the SKU, so the claim is taken as stale and taken over. Both saves then go on and write their products:
/// two products carry one SKU, and <c>GET /api/products?sku=</c> and counts by SKU find only one of them.
/// </summary>
public class ASkuIsCarriedByOneProductEvenWhenTwoSavesRaceForItTests
{
    private static Product Product(string id, string sku) => new() { ProductId = id, Sku = sku, Name = "Product " + id };

    [Theory]
    [InlineData(false)] // P1 is a new product
    [InlineData(true)]  // P1 exists under another SKU and is renamed
    public async Task Two_products_saving_the_same_sku_at_once_never_both_carry_it(bool rename)
    {
        var memory = new InMemoryDocumentStore();
        var setup = new InventoryApplication(memory);
        if (rename) await setup.SaveProduct.ExecuteAsync(Product("P1", "OLD-SKU"));

        // P1's save claims the SKU, then stalls before its product document is written.
        var gate = new GateFirstCommit(memory, Collection.Products, "P1");
        var first = new InventoryApplication(gate).SaveProduct.ExecuteAsync(Product("P1", "SKU-X"));
        await gate.Reached.Task;

        // Meanwhile another product asks for the same SKU (another instance).
        var second = Task.Run(() => new InventoryApplication(memory).SaveProduct.ExecuteAsync(Product("P2", "SKU-X")));
        await Task.WhenAny(second, Task.Delay(TimeSpan.FromSeconds(5))); // ordering only: let it run before P1 goes on
        gate.Release.SetResult();

        var refused = 0;
        foreach (var save in new[] { first, second })
        {
            try { await save; }
            catch (DuplicateSkuException) { refused++; }
        }

        var carriers = new List<string>();
        foreach (var id in new[] { "P1", "P2" })
            if ((await setup.Catalog.GetProductOrNullAsync(id))?.Sku == "SKU-X") carriers.Add(id);
        Assert.True(carriers.Count == 1, $"SKU-X is carried by [{string.Join(", ", carriers)}] ({refused} save(s) refused duplicate-sku)");
        Assert.Equal(carriers[0], (await setup.Catalog.FindProductBySkuAsync("SKU-X"))?.ProductId);
    }
}

internal static class CatalogQueriesForTests
{
    public static async Task<Product?> GetProductOrNullAsync(this Inventory.Application.Catalog.CatalogQueries catalog, string productId)
    {
        try { return await catalog.GetProductAsync(productId); }
        catch (ProductNotFoundException) { return null; }
    }
}
