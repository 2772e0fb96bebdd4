using System.Net;
using System.Text;
using Inventory.Functions.Shopify;
using Inventory.Functions.Tests.Support;

namespace Inventory.Functions.Tests;

/// <summary>Every class of bad input is a 4xx problem+json, and leaves the stock, the ledger and the catalog as they were.</summary>
public sealed class BadInputTests(LocalHostFactory host) : IClassFixture<LocalHostFactory>
{
    private const string Reserve = "/api/reservations";
    private static readonly string Huge = "{\"orderId\":\"o-bad\",\"pad\":\"" + new string('x', 300 * 1024) + "\"}";

    public static TheoryData<string, string, string, string?, int, string> Cases => new()
    {
        { "malformed json", "POST", Reserve, """{"orderId":""", 400, "malformed-json" },
        { "not an object", "POST", Reserve, "[1,2]", 400, "validation-failed" },
        { "empty body", "POST", Reserve, "", 400, "validation-failed" },
        { "wrong type", "POST", Reserve, """{"orderId":"o-bad","lines":[{"productId":"bad-1","quantity":"3"}]}""", 400, "validation-failed" },
        { "fractional quantity", "POST", Reserve, """{"orderId":"o-bad","lines":[{"productId":"bad-1","quantity":1.5}]}""", 400, "validation-failed" },
        { "missing lines", "POST", Reserve, """{"orderId":"o-bad"}""", 400, "validation-failed" },
        { "missing quantity", "POST", Reserve, """{"orderId":"o-bad","lines":[{"productId":"bad-1"}]}""", 400, "validation-failed" },
        { "zero quantity", "POST", Reserve, """{"orderId":"o-bad","lines":[{"productId":"bad-1","quantity":0}]}""", 400, "validation-failed" },
        { "negative quantity", "POST", Reserve, """{"orderId":"o-bad","lines":[{"productId":"bad-1","quantity":-2}]}""", 400, "validation-failed" },
        { "absurd quantity", "POST", Reserve, """{"orderId":"o-bad","lines":[{"productId":"bad-1","quantity":1000000000000}]}""", 400, "validation-failed" },
        { "quantity beyond 64 bits", "POST", Reserve, """{"orderId":"o-bad","lines":[{"productId":"bad-1","quantity":99999999999999999999}]}""", 400, "validation-failed" },
        { "unknown field", "POST", Reserve, """{"orderId":"o-bad","lines":[{"productId":"bad-1","quantity":1}],"priority":1}""", 400, "validation-failed" },
        { "bad id characters", "POST", Reserve, """{"orderId":"o/bad","lines":[{"productId":"bad-1","quantity":1}]}""", 400, "validation-failed" },
        { "unknown policy", "POST", Reserve, """{"orderId":"o-bad","policy":"greedy","lines":[{"productId":"bad-1","quantity":1}]}""", 400, "validation-failed" },
        { "zero hold", "POST", Reserve, """{"orderId":"o-bad","holdMinutes":0,"lines":[{"productId":"bad-1","quantity":1}]}""", 400, "validation-failed" },
        { "unknown product", "POST", Reserve, """{"orderId":"o-bad","lines":[{"productId":"no-such-product","quantity":1}]}""", 404, "product-not-found" },
        { "unknown warehouse", "POST", Reserve, """{"orderId":"o-bad","warehouseId":"no-such-wh","lines":[{"productId":"bad-1","quantity":1}]}""", 404, "warehouse-not-found" },
        { "too large", "POST", Reserve, Huge, 413, "payload-too-large" },
        { "unknown order", "POST", "/api/reservations/o-none/fulfill", null, 404, "reservation-not-found" },
        { "unknown location", "POST", "/api/stock/receipts", """{"receiptId":"r-bad","productId":"bad-1","locationId":"nowhere","quantity":1}""", 404, "location-not-found" },
        { "receipt missing id", "POST", "/api/stock/receipts", """{"productId":"bad-1","locationId":"bad-1-pick","quantity":1}""", 400, "validation-failed" },
        { "delta and count", "POST", "/api/stock/adjustments", """{"adjustmentId":"a-bad","productId":"bad-1","locationId":"bad-1-pick","delta":1,"countedQuantity":3,"reasonCode":"count"}""", 400, "validation-failed" },
        { "below zero", "POST", "/api/stock/adjustments", """{"adjustmentId":"a-bad","productId":"bad-1","locationId":"bad-1-pick","delta":-11,"reasonCode":"lost"}""", 409, "stock-would-go-negative" },
        { "reused receipt id", "POST", "/api/stock/receipts", """{"receiptId":"open-pick-bad-1","productId":"bad-1","locationId":"bad-1-pick","quantity":99}""", 409, "reference-conflict" },
        { "transfer to itself", "POST", "/api/stock/transfers", """{"transferId":"t-bad","productId":"bad-1","fromLocationId":"bad-1-pick","toLocationId":"bad-1-pick","quantity":1}""", 400, "validation-failed" },
        { "transfer too much", "POST", "/api/stock/transfers", """{"transferId":"t-bad","productId":"bad-1","fromLocationId":"bad-1-pick","toLocationId":"bad-1-bulk","quantity":11}""", 409, "insufficient-stock" },
        { "negative cost", "PUT", "/api/products/bad-3", """{"sku":"SKU-bad-3","name":"x","unitCost":-1}""", 400, "validation-failed" },
        { "id differs from route", "PUT", "/api/products/bad-3", """{"productId":"bad-9","sku":"SKU-bad-3","name":"x"}""", 400, "validation-failed" },
        { "duplicate sku", "PUT", "/api/products/bad-3", """{"sku":"SKU-bad-1","name":"x"}""", 409, "duplicate-sku" },
        { "location type", "PUT", "/api/warehouses/wh-bad-1/locations/bad-1-new", """{"type":"SHELF"}""", 400, "validation-failed" },
        { "location of unknown warehouse", "PUT", "/api/warehouses/no-such-wh/locations/bad-1-new", """{"type":"bulk"}""", 404, "warehouse-not-found" },
        { "bad time zone", "PUT", "/api/warehouses/wh-bad-1", """{"name":"x","timezone":"Mars/Olympus"}""", 400, "validation-failed" },
        { "page size", "GET", "/api/products/bad-1/transactions?pageSize=0", null, 400, "validation-failed" },
        { "forged token", "GET", "/api/products/bad-1/transactions?continuationToken=%%%", null, 400, "validation-failed" },
        { "unknown product read", "GET", "/api/products/no-such-product/stock", null, 404, "product-not-found" },
    };

    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public async Task Is_refused_with_a_problem_and_changes_nothing(string name, string method, string path, string? body, int status, string code)
    {
        var api = host.Api();
        await LocalHostFactory.SeedAsync(api, "bad-1", pickFace: 10);
        var before = await SnapshotAsync(api);

        var result = await api.SendAsync(new HttpMethod(method), path, body);

        Http.AssertProblem(result, (HttpStatusCode)status, code);
        Assert.False(string.IsNullOrEmpty(result.Body.Str("detail")), name);
        Assert.Equal(before, await SnapshotAsync(api));
    }

    [SkippableTheory]
    [InlineData("orders/create", "{\"id\":", 400, "malformed-json")]
    [InlineData("orders/create", """{"id":1.5,"line_items":[]}""", 400, "validation-failed")]
    [InlineData("orders/create", """{"id":"abc","line_items":[{"sku":"SKU-bad-1","quantity":1}]}""", 400, "validation-failed")]
    [InlineData("orders/create", """{"id":77,"line_items":[{"id":1,"sku":"SKU-bad-1","quantity":0}]}""", 400, "validation-failed")]
    [InlineData("orders/updated", """{"id":77,"line_items":[]}""", 400, "unsupported-topic")]
    public async Task A_signed_but_bad_shopify_delivery_is_refused_and_changes_nothing(string topic, string body, int status, string code)
    {
        var api = host.Api();
        await LocalHostFactory.SeedAsync(api, "bad-1", pickFace: 10);
        var before = await SnapshotAsync(api);
        var headers = new Dictionary<string, string>
        {
            ["X-Shopify-Topic"] = topic,
            ["X-Shopify-Hmac-Sha256"] = ShopifySignature.Sign(Encoding.UTF8.GetBytes(body), LocalHostFactory.ShopifySecret),
        };

        Http.AssertProblem(await api.PostJsonAsync("/api/webhooks/shopify", body, headers), (HttpStatusCode)status, code);
        Assert.Equal(before, await SnapshotAsync(api));
    }

    /// <summary>What a refused request must not change: stock and ledger of the product, the catalog, and the order ids used above.</summary>
    private static async Task<string> SnapshotAsync(HttpClient api)
    {
        var parts = new List<string>();
        foreach (var path in new[] { "/api/products/bad-1/stock", "/api/products/bad-1/transactions?pageSize=1000", "/api/products/bad-1",
                     "/api/products/bad-3", "/api/warehouses/wh-bad-1", "/api/warehouses/no-such-wh", "/api/reservations/o-bad",
                     "/api/reservations/shopify-77", "/api/reservations/shopify-1" })
        {
            var r = await api.GetJsonAsync(path);
            parts.Add($"{path} {(int)r.Status} {(r.Status == HttpStatusCode.OK ? r.Body.GetRawText() : "")}");
        }
        return string.Join("\n", parts);
    }
}
