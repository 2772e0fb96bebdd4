using System.Net;
using System.Text.Json;
using Inventory.Functions.Tests.Support;

namespace Inventory.Functions.Tests;

/// <summary>Issue 15: the paged list routes, {"items": [...], "continuationToken": ...}, and their 400s.</summary>
public sealed class OperatorListRoutesTests(LocalHostFactory host) : IClassFixture<LocalHostFactory>
{
    private static string[] Ids(JsonElement body, string field) => body.GetProperty("items").EnumerateArray().Select(i => i.Str(field)).ToArray();

    private static async Task<List<JsonElement>> AllAsync(HttpClient api, string path)
    {
        var items = new List<JsonElement>();
        string? token = null;
        var pages = 0;
        do
        {
            var sep = path.Contains('?', StringComparison.Ordinal) ? '&' : '?';
            var r = await api.GetJsonAsync(token is null ? path : $"{path}{sep}continuationToken={token}");
            Assert.Equal(HttpStatusCode.OK, r.Status);
            items.AddRange(r.Body.GetProperty("items").EnumerateArray());
            token = r.Body.GetProperty("continuationToken").GetString();
        } while (token is not null && ++pages < 50);
        return items;
    }

    [SkippableFact]
    public async Task Products_are_listed_paged_and_by_sku_and_low_stock()
    {
        var api = host.Api();
        await LocalHostFactory.SeedAsync(api, "ls-a", pickFace: 3);
        await LocalHostFactory.SeedAsync(api, "ls-b", pickFace: 50);
        await api.SendAsync(HttpMethod.Put, "/api/products/ls-a", """{"sku":"SKU-ls-a","name":"A","reorderPoint":5,"categoryId":"mugs"}""");

        var first = await api.GetJsonAsync("/api/products?pageSize=1");
        Assert.Single(first.Body.GetProperty("items").EnumerateArray());
        Assert.Equal(JsonValueKind.String, first.Body.GetProperty("continuationToken").ValueKind);
        var all = await AllAsync(api, "/api/products?pageSize=1");
        // Bucket by bucket of the catalogue index, so not in id order.
        Assert.Equal(["ls-a", "ls-b"], all.Select(i => i.Str("productId")).Where(id => id.StartsWith("ls-", StringComparison.Ordinal)).Order(StringComparer.Ordinal));

        var low = await api.GetJsonAsync("/api/products?lowStock=true&categoryId=mugs");
        Assert.Equal(["ls-a"], Ids(low.Body, "productId"));
        Assert.Equal(3, low.Body.GetProperty("items")[0].Long("quantityAvailable"));
        Assert.Equal(JsonValueKind.Null, low.Body.GetProperty("continuationToken").ValueKind);
        Assert.Equal(["ls-b"], Ids((await api.GetJsonAsync("/api/products?sku=SKU-ls-b")).Body, "productId"));
        Assert.Equal(["ls-a"], Ids((await api.GetJsonAsync("/api/products?categoryId=mugs&isActive=true")).Body, "productId"));
        Assert.DoesNotContain("ls-a", Ids((await api.GetJsonAsync("/api/products?isActive=false")).Body, "productId"));
    }

    [SkippableFact]
    public async Task Warehouses_a_locations_contents_and_a_products_active_reservations_are_listed()
    {
        var api = host.Api();
        var seeded = await LocalHostFactory.SeedAsync(api, "lw-p", pickFace: 4, bulk: 10);
        Assert.Equal(HttpStatusCode.Created, (await api.PostJsonAsync("/api/reservations", """{"orderId":"lw-o1","lines":[{"productId":"lw-p","quantity":6}]}""")).Status);
        await api.PostJsonAsync("/api/reservations", """{"orderId":"lw-o2","lines":[{"productId":"lw-p","quantity":1}]}""");
        await api.PostJsonAsync("/api/reservations/lw-o2/release", "");

        Assert.Contains(seeded.WarehouseId, Ids((await api.GetJsonAsync("/api/warehouses")).Body, "warehouseId"));

        var bin = await api.GetJsonAsync($"/api/warehouses/{seeded.WarehouseId}/locations/{seeded.PickLocation}/stock");
        var item = Assert.Single(bin.Body.GetProperty("items").EnumerateArray());
        Assert.Equal(("lw-p", "SKU-lw-p", 4L, 4L, 0L), (item.Str("productId"), item.Str("sku"), item.Long("quantityOnHand"), item.Long("quantityReserved"), item.Long("quantityAvailable")));

        var active = await api.GetJsonAsync("/api/products/lw-p/reservations?status=ACTIVE");
        Assert.Equal(["lw-o1"], Ids(active.Body, "orderId"));
        Assert.Equal("ACTIVE", active.Body.GetProperty("items")[0].Str("status"));
        Assert.Equal(2, (await api.GetJsonAsync("/api/products/lw-p/reservations")).Body.GetProperty("items").GetArrayLength());
        Assert.Equal(["lw-o2"], Ids((await api.GetJsonAsync("/api/products/lw-p/reservations?status=released")).Body, "orderId"));
    }

    [SkippableFact]
    public async Task Purchase_orders_are_listed_by_status_supplier_and_product()
    {
        var api = host.Api();
        var seeded = await LocalHostFactory.SeedAsync(api, "lpo-p", pickFace: 1);
        foreach (var (po, supplier) in new[] { ("LPO-1", "acme"), ("LPO-2", "globex") })
            Assert.Equal(HttpStatusCode.Created, (await api.PostJsonAsync("/api/purchase-orders",
                $$"""{"poId":"{{po}}","supplierId":"{{supplier}}","warehouseId":"{{seeded.WarehouseId}}","expectedDate":"2030-01-01","lines":[{"productId":"lpo-p","quantity":5}]}""")).Status);
        await api.PostJsonAsync("/api/purchase-orders/LPO-2/send", "");

        Assert.Equal(["LPO-2"], Ids((await api.GetJsonAsync("/api/purchase-orders?status=SENT")).Body, "poId"));
        Assert.Equal(["LPO-1"], Ids((await api.GetJsonAsync("/api/purchase-orders?supplierId=acme&productId=lpo-p")).Body, "poId"));
        Assert.Equal(["LPO-1", "LPO-2"], (await AllAsync(api, "/api/purchase-orders?productId=lpo-p&pageSize=1")).Select(i => i.Str("poId")));
    }

    [SkippableTheory]
    [InlineData("/api/products?isActive=yes", "isActive")]
    [InlineData("/api/products?lowStock=1", "lowStock")]
    [InlineData("/api/products?pageSize=0", "pageSize")]
    [InlineData("/api/products?pageSize=ten", "pageSize")]
    [InlineData("/api/products?categoryId=has%20space", "categoryId")]
    [InlineData("/api/warehouses?continuationToken=%25%25", "continuationToken")]
    [InlineData("/api/purchase-orders?status=OPENED", "status")]
    [InlineData("/api/products/x/reservations?status=HELD", "status")]
    public async Task Bad_query_values_are_400_problems_naming_the_parameter(string path, string field)
    {
        var r = await host.Api().GetJsonAsync(path);
        Http.AssertProblem(r, HttpStatusCode.BadRequest, "validation-failed");
        Assert.Contains(r.Body.GetProperty("errors").EnumerateArray(), e => e.Str("field") == field);
    }

    /// <summary>Issue 17: the catalogue index backfill route pages through the products and writes nothing for products saved through the API.</summary>
    [SkippableFact]
    public async Task The_catalogue_index_backfill_pages_to_the_end_and_refuses_a_bad_page_size()
    {
        var api = host.Api();
        await LocalHostFactory.SeedAsync(api, "bf-a", pickFace: 1);
        var (products, written, pages) = (0L, 0L, 0);
        string? token = null;
        do
        {
            var r = await api.SendAsync(HttpMethod.Post, "/api/catalog/index/rebuild?pageSize=2" + (token is null ? "" : "&continuationToken=" + token));
            Assert.Equal(HttpStatusCode.OK, r.Status);
            (products, written, token) = (products + r.Body.Long("products"), written + r.Body.Long("rowsWritten"), r.Body.GetProperty("continuationToken").GetString());
        } while (token is not null && ++pages < 500);
        Assert.Null(token);
        Assert.True(products >= 1);
        Assert.Equal(0, written); // every product here was saved with its index row
        Assert.Contains("bf-a", (await AllAsync(api, "/api/products?pageSize=50")).Select(i => i.Str("productId")));

        var bad = await api.SendAsync(HttpMethod.Post, "/api/catalog/index/rebuild?pageSize=0");
        Http.AssertProblem(bad, HttpStatusCode.BadRequest, "validation-failed");
    }

    [SkippableFact]
    public async Task Unknown_warehouses_locations_and_products_are_404()
    {
        var api = host.Api();
        Http.AssertProblem(await api.GetJsonAsync("/api/warehouses/nowhere/locations/nothing/stock"), HttpStatusCode.NotFound, "warehouse-not-found");
        Http.AssertProblem(await api.GetJsonAsync("/api/products/nothing/reservations"), HttpStatusCode.NotFound, "product-not-found");
    }
}
