using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using Inventory.Functions.Shopify;
using Inventory.Functions.Tests.Support;

namespace Inventory.Functions.Tests;

/// <summary>
/// With the store unreachable (the Table store pointed at a port nothing listens on), every API route that needs the
/// store answers, within 30 s, 503 problem+json with Retry-After, and the body names no host, partition, id or exception.
/// The list of routes is checked against the functions the app declares, so a route added later must be added here.
/// </summary>
public sealed class EveryRouteWhenTheStoreIsDownTests(EveryRouteWhenTheStoreIsDownTests.StoreDown host)
    : IClassFixture<EveryRouteWhenTheStoreIsDownTests.StoreDown>
{
    public sealed class StoreDown : LocalHostFactory
    {
        protected override string? ConnectionString =>
            "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;TableEndpoint=http://127.0.0.1:9/devstoreaccount1;";
        protected override bool CreateTables => false;
    }

    private const string P = "down-prd-7", W = "down-wh-7", L = "down-loc-7", O = "down-ord-7", PO = "down-po-7";

    private static readonly string ShopifyOrder =
        """{"id":9007,"name":"#9007","line_items":[{"id":1,"sku":"DOWN-SKU-7","quantity":1}]}""";

    /// <summary>Function name → a valid request, so that only the store can make it fail.</summary>
    private static readonly Dictionary<string, (HttpMethod Method, string Path, string? Body)> Requests = new()
    {
        ["PutProduct"] = (HttpMethod.Put, $"/api/products/{P}", """{"sku":"DOWN-SKU-7","name":"Down"}"""),
        ["GetProduct"] = (HttpMethod.Get, $"/api/products/{P}", null),
        ["GetStock"] = (HttpMethod.Get, $"/api/products/{P}/stock", null),
        ["GetTransactions"] = (HttpMethod.Get, $"/api/products/{P}/transactions", null),
        ["PutWarehouse"] = (HttpMethod.Put, $"/api/warehouses/{W}", """{"name":"Down","timezone":"UTC"}"""),
        ["GetWarehouse"] = (HttpMethod.Get, $"/api/warehouses/{W}", null),
        ["PutLocation"] = (HttpMethod.Put, $"/api/warehouses/{W}/locations/{L}", """{"type":"PICK_FACE"}"""),
        ["CreateReservation"] = (HttpMethod.Post, "/api/reservations", $$"""{"orderId":"{{O}}","lines":[{"productId":"{{P}}","quantity":1}]}"""),
        ["GetReservation"] = (HttpMethod.Get, $"/api/reservations/{O}", null),
        ["FulfillReservation"] = (HttpMethod.Post, $"/api/reservations/{O}/fulfill", "{}"),
        ["ReleaseReservation"] = (HttpMethod.Post, $"/api/reservations/{O}/release", "{}"),
        ["AdjustStock"] = (HttpMethod.Post, "/api/stock/adjustments",
            $$"""{"adjustmentId":"adj-7","productId":"{{P}}","locationId":"{{L}}","countedQuantity":3,"reasonCode":"cycle-count"}"""),
        ["TransferStock"] = (HttpMethod.Post, "/api/stock/transfers",
            $$"""{"transferId":"trf-7","productId":"{{P}}","fromLocationId":"{{L}}","toLocationId":"down-loc-8","quantity":1}"""),
        ["ReceiveStock"] = (HttpMethod.Post, "/api/stock/receipts", $$"""{"receiptId":"rcv-7","productId":"{{P}}","locationId":"{{L}}","quantity":1}"""),
        ["Health"] = (HttpMethod.Get, "/api/health", null),
        ["ShopifyWebhook"] = (HttpMethod.Post, "/api/webhooks/shopify", ShopifyOrder),
        ["CreatePurchaseOrder"] = (HttpMethod.Post, "/api/purchase-orders",
            $$"""{"poId":"{{PO}}","supplierId":"acme","warehouseId":"{{W}}","expectedDate":"2030-01-01","lines":[{"productId":"{{P}}","quantity":5}]}"""),
        ["GetPurchaseOrder"] = (HttpMethod.Get, $"/api/purchase-orders/{PO}", null),
        ["SendPurchaseOrder"] = (HttpMethod.Post, $"/api/purchase-orders/{PO}/send", null),
        ["ConfirmPurchaseOrder"] = (HttpMethod.Post, $"/api/purchase-orders/{PO}/confirm", null),
        ["CancelPurchaseOrder"] = (HttpMethod.Post, $"/api/purchase-orders/{PO}/cancel", null),
        ["GetQuarantine"] = (HttpMethod.Get, "/api/quarantine/receipts", null),
        ["DismissQuarantined"] = (HttpMethod.Delete, "/api/quarantine/receipts/msg-1~0123abcd", null),
        ["GetLatestReplenishmentRun"] = (HttpMethod.Get, "/api/replenishment/runs/latest", null),
        ["GetProductReplenishment"] = (HttpMethod.Get, $"/api/products/{P}/replenishment", null),
        ["GetReplenishmentOutbox"] = (HttpMethod.Get, "/api/replenishment/outbox", null),
        ["AuditProduct"] = (HttpMethod.Get, $"/api/products/{P}/audit", null),
        ["ShopifyAttention"] = (HttpMethod.Get, "/api/webhooks/shopify/attention", null),
        ["ShopifyAttentionDismiss"] = (HttpMethod.Delete, "/api/webhooks/shopify/attention/shopify-1", null),
        ["ListProducts"] = (HttpMethod.Get, "/api/products", null),
        ["ListWarehouses"] = (HttpMethod.Get, "/api/warehouses", null),
        ["ListLocationStock"] = (HttpMethod.Get, $"/api/warehouses/{W}/locations/{L}/stock", null),
        ["ListProductReservations"] = (HttpMethod.Get, $"/api/products/{P}/reservations", null),
        ["ListPurchaseOrders"] = (HttpMethod.Get, "/api/purchase-orders", null),
        ["RebuildCatalogIndex"] = (HttpMethod.Post, "/api/catalog/index/rebuild", null),
        ["PostStockCount"] = (HttpMethod.Post, "/api/stock/counts",
            $$"""{"countId":"cnt-7","rows":[{"locationId":"{{L}}","productId":"{{P}}","countedQuantity":3}]}"""),
        ["GetStockCount"] = (HttpMethod.Get, "/api/stock/counts/cnt-7", null),
    };

    /// <summary>Routes that never touch the store (the console is static files).</summary>
    private static readonly string[] StoreFree = ["OpenApi", "Console"];

    [Fact]
    public void Every_HTTP_function_of_the_app_is_covered()
    {
        var http = FunctionCatalog.Discover().Where(f => f.Http is not null).Select(f => f.Name).Except(StoreFree);
        Assert.Equal(http.Order(StringComparer.Ordinal), Requests.Keys.Order(StringComparer.Ordinal));
    }

    public static TheoryData<string> Functions => new(Requests.Keys.Order(StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(Functions))]
    public async Task The_route_answers_503_problem_with_Retry_After_within_30_s_and_leaks_nothing(string function)
    {
        var (method, path, body) = Requests[function];
        using var request = new HttpRequestMessage(method, path);
        if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        if (function == "ShopifyWebhook")
        {
            request.Headers.Add("X-Shopify-Topic", "orders/create");
            request.Headers.Add("X-Shopify-Webhook-Id", "down-webhook-7");
            request.Headers.Add("X-Shopify-Hmac-Sha256", ShopifySignature.Sign(Encoding.UTF8.GetBytes(body!), LocalHostFactory.ShopifySecret));
        }
        var clock = Stopwatch.StartNew();

        using var response = await host.CreateClient().SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"{function} took {clock.Elapsed}");
        Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"{function}: {(int)response.StatusCode} {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(response.Headers.RetryAfter);
        var problem = JsonDocument.Parse(text).RootElement;
        Assert.StartsWith("urn:inventory:problem:store-", problem.GetProperty("type").GetString(), StringComparison.Ordinal);
        var detail = problem.GetProperty("detail").GetString()!;
        foreach (var leak in new[] { "127.0.0.1", ":9", "devstoreaccount1", "inventory", "down-", "Exception", "HTTP", "socket", "refused" })
            Assert.DoesNotContain(leak, detail, StringComparison.OrdinalIgnoreCase);
    }
}
