using Inventory.Application.Lists;
using Inventory.Domain;

namespace Inventory.Functions.Tests.Shopify;

/// <summary>
/// Next to <see cref="AShopifySkuMatchesTheCatalogSkuItEqualsTests"/>: a SKU is matched exactly, as the catalog stores
/// it (its claim is keyed by it), by the webhook and by <c>GET /api/products?sku=</c> alike: a SKU that differs by a
/// space is another SKU to both, never guessed (docs/http-api.md).
/// </summary>
public sealed class TheWebhookAndTheSkuLookupMatchTheSameSkusTests
{
    [Theory]
    [InlineData("MUG-BLACK ", "MUG-BLACK")]
    [InlineData("MUG-BLACK", " MUG-BLACK ")]
    public async Task A_sku_that_differs_by_a_space_is_unknown_to_the_webhook_and_to_the_lookup(string stored, string sent)
    {
        var calls = new ShopifyWebhookCalls();
        await calls.SeedAsync(10, "SP2");
        await calls.App.SaveProduct.ExecuteAsync(new Product { ProductId = "SP2", Sku = stored, Name = "Black mug" });

        var created = await calls.PostAsync("orders/create", "d-sp2", $$"""{"id":7002,"line_items":[{"id":1,"sku":"{{sent}}","quantity":2}]}""");

        Assert.Equal((200, "needs-attention"), (created.Status, created.Body.GetProperty("outcome").GetString()));
        Assert.Equal(0, (await calls.App.Stock.GetStockAsync("SP2")).QuantityReserved);
        Assert.Empty((await calls.App.ProductList.ListAsync(new ProductFilter(Sku: sent))).Items);
        Assert.Equal("SP2", Assert.Single((await calls.App.ProductList.ListAsync(new ProductFilter(Sku: stored))).Items).ProductId);
    }
}
