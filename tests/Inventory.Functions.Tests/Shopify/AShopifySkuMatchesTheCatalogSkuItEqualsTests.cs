using Inventory.Domain;

namespace Inventory.Functions.Tests.Shopify;

/// <summary>
/// Found in review: PUT /api/products accepts and stores a SKU with surrounding spaces as given ("MUG-WHITE ", a common
/// data-entry slip that Shopify keeps too), but the Shopify webhook trims every line's SKU before the lookup
/// (ShopifyOrder.Parse: <c>sku.Trim()</c>). The same SKU on both sides therefore never matches: each order of that
/// product is listed for attention as unknown-sku and nothing is reserved, so the units the shop sold stay available
/// to every other order. docs/http-api.md: orders/create "reserves the order's line_items by SKU (each SKU
/// looked up in the catalog)"; issue 4: "Unknown SKUs are reported, not guessed". The webhook must look up the SKU as
/// Shopify sent it (or the catalog must normalise SKUs the same way on save).
/// </summary>
public sealed class AShopifySkuMatchesTheCatalogSkuItEqualsTests
{
    [Fact]
    public async Task An_order_line_whose_sku_equals_the_products_sku_is_reserved()
    {
        var calls = new ShopifyWebhookCalls();
        await calls.SeedAsync(10, "SP1");
        await calls.App.SaveProduct.ExecuteAsync(new Product { ProductId = "SP1", Sku = "MUG-WHITE ", Name = "White mug" });

        var created = await calls.PostAsync("orders/create", "d-sp1",
            """{"id":7001,"line_items":[{"id":1,"sku":"MUG-WHITE ","quantity":2}]}""");

        Assert.Equal(200, created.Status);
        Assert.True(created.Body.GetProperty("outcome").GetString() == "reserved", $"the SKU the catalog holds did not match: {created.Body}");
        Assert.Equal(2, (await calls.App.Stock.GetStockAsync("SP1")).QuantityReserved);
    }
}
