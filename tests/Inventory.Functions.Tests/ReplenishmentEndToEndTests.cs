using System.Net;
using System.Net.Http.Json;
using Inventory.Functions.Tests.Support;

namespace Inventory.Functions.Tests;

/// <summary>
/// Replenishment through the local host: a shipment below the reorder point raises exactly one purchase order (in the
/// store outbox, since no Service Bus is configured), and the nightly scan run through the admin API records its counts.
/// One test, because the scan's counts cover every product of the host's tables.
/// </summary>
public sealed class ReplenishmentEndToEndTests(LocalHostFactory host) : IClassFixture<LocalHostFactory>
{
    private static async Task PutAsync(HttpClient api, string path, object body)
    {
        using var r = await api.PutAsJsonAsync(path, body);
        Assert.True(r.IsSuccessStatusCode, $"{path}: {await r.Content.ReadAsStringAsync()}");
    }

    private static async Task ReceiveAsync(HttpClient api, string productId, int quantity)
    {
        using var r = await api.PostAsJsonAsync("/api/stock/receipts", new { receiptId = "open-" + productId, productId, locationId = "rep-pick", quantity });
        Assert.True(r.IsSuccessStatusCode, await r.Content.ReadAsStringAsync());
    }

    private static async Task<HashSet<string>> OutboxAsync(HttpClient api, string productId)
    {
        var outbox = await api.GetJsonAsync("/api/replenishment/outbox");
        Assert.Equal("outbox", outbox.Body.Str("publisher"));
        return outbox.Body.GetProperty("orders").EnumerateArray()
            .Where(o => o.GetProperty("lines").EnumerateArray().Any(l => l.Str("productId") == productId)).Select(o => o.Str("poId")).ToHashSet();
    }

    [SkippableFact]
    public async Task Stock_drops_raise_one_order_and_the_nightly_scan_orders_what_the_rule_demands_once()
    {
        var api = host.Api();
        Http.AssertProblem(await api.GetJsonAsync("/api/replenishment/runs/latest"), HttpStatusCode.NotFound, "replenishment-run-not-found");
        await PutAsync(api, "/api/warehouses/wh-rep", new { name = "Replenished", timezone = "America/New_York" });
        await PutAsync(api, "/api/warehouses/wh-rep/locations/rep-pick", new { type = "pickFace" });
        await PutAsync(api, "/api/products/rep-a", new { sku = "REP-A", name = "A", autoReplenish = true, reorderPoint = 10, reorderQuantity = 50, leadTimeDays = 3, preferredSupplierId = "sup-9" });
        await PutAsync(api, "/api/products/rep-b", new { sku = "REP-B", name = "B", autoReplenish = true, reorderPoint = 5, reorderQuantity = 20, leadTimeDays = 2, preferredSupplierId = "sup-9" });
        await PutAsync(api, "/api/products/rep-c", new { sku = "REP-C", name = "C", autoReplenish = false, reorderPoint = 500, reorderQuantity = 20, preferredSupplierId = "sup-9" });
        await ReceiveAsync(api, "rep-a", 20);
        await ReceiveAsync(api, "rep-b", 3);
        await ReceiveAsync(api, "rep-c", 100);

        // 20 - 15 = 5 < reorder point 10: one order of reorderQuantity; a second drop while it is open raises none.
        foreach (var (orderId, quantity) in new[] { ("o-rep-1", 15), ("o-rep-2", 2) })
        {
            Assert.Equal(HttpStatusCode.Created, (await api.PostJsonAsync("/api/reservations", $$"""{"orderId":"{{orderId}}","lines":[{"productId":"rep-a","quantity":{{quantity}}}]}""")).Status);
            Assert.Equal(HttpStatusCode.OK, (await api.PostJsonAsync($"/api/reservations/{orderId}/fulfill", "")).Status);
        }
        var raised = Assert.Single(await OutboxAsync(api, "rep-a"));
        var order = await api.GetJsonAsync($"/api/purchase-orders/{raised}");
        Assert.Equal(("SENT", "REPLENISHMENT", "sup-9", "wh-rep", 50L),
            (order.Body.Str("status"), order.Body.Str("origin"), order.Body.Str("supplierId"), order.Body.Str("warehouseId"), order.Body.GetProperty("lines")[0].Long("quantityOrdered")));
        Assert.Equal(50, (await api.GetJsonAsync("/api/products/rep-a/stock")).Body.Long("quantityIncoming"));
        var view = await api.GetJsonAsync("/api/products/rep-a/replenishment");
        Assert.Equal((3L, 50L), (view.Body.Long("leadTimeDays"), view.Body.GetProperty("position").Long("incoming")));
        Assert.Equal(raised, Assert.Single(view.Body.GetProperty("openOrders").EnumerateArray().ToArray()).Str("poId"));

        // The nightly scan, run late: rep-b (3 ≤ 5, no demand) is ordered, rep-a is skipped (its order is open), rep-c is not automatic.
        Assert.Equal(HttpStatusCode.Accepted, (await api.PostJsonAsync("/admin/functions/DailyReplenishmentScan", """{"metadata":{"isPastDue":true}}""")).Status);
        var run = await api.GetJsonAsync("/api/replenishment/runs/latest");
        Assert.Equal(HttpStatusCode.OK, run.Status);
        Assert.Equal(("COMPLETED", true), (run.Body.Str("status"), run.Body.GetProperty("pastDue").GetBoolean()));
        Assert.Equal((3L, 2L, 1L, 1L, 0L), (run.Body.Long("scanned"), run.Body.Long("belowThreshold"), run.Body.Long("ordersCreated"),
            run.Body.Long("skippedOpenOrder"), run.Body.Long("errors")));
        Assert.Single(await OutboxAsync(api, "rep-b"));
        Assert.Equal(20, (await api.GetJsonAsync("/api/products/rep-b/stock")).Body.Long("quantityIncoming"));

        // The same day again: the completed run is returned as it is, nothing ordered twice.
        Assert.Equal(HttpStatusCode.Accepted, (await api.PostJsonAsync("/admin/functions/DailyReplenishmentScan", """{"input":""}""")).Status);
        Assert.Equal(run.Body.ToString(), (await api.GetJsonAsync("/api/replenishment/runs/latest")).Body.ToString());
        Assert.Single(await OutboxAsync(api, "rep-a"));
        Assert.Single(await OutboxAsync(api, "rep-b"));
        Assert.Empty(await OutboxAsync(api, "rep-c"));
    }
}
