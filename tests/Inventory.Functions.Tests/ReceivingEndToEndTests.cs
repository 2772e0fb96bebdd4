using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Inventory.Functions.Tests.Support;

namespace Inventory.Functions.Tests;

/// <summary>
/// Receiving through the local host as an operator would drive it: a purchase order over HTTP, receipts and supplier
/// events posted to the queue functions through POST /admin/functions/{name}, stock and order read back over HTTP, and
/// poison messages found at GET /api/quarantine/{queue}.
/// </summary>
public sealed class ReceivingEndToEndTests(LocalHostFactory host) : IClassFixture<LocalHostFactory>
{
    private static string Admin(string input, string? messageId = null, int? deliveryCount = null) => JsonSerializer.Serialize(new
    {
        input,
        metadata = messageId is null ? null : new { messageId, deliveryCount = deliveryCount ?? 1 },
    });

    private static string Receipt(string poId, string receiptId, params object[] lines) =>
        JsonSerializer.Serialize(new { poId, receiptId, warehouseId = "wh-rcv", receivedBy = "scanner-7", lines });

    private static async Task<HttpClient> WarehouseAsync(LocalHostFactory host)
    {
        var api = host.Api();
        async Task Put(string path, object body)
        {
            using var r = await api.PutAsJsonAsync(path, body);
            Assert.True(r.IsSuccessStatusCode, $"{path}: {await r.Content.ReadAsStringAsync()}");
        }
        await Put("/api/warehouses/wh-rcv", new { name = "Receiving dock", timezone = "Europe/Paris" });
        // The pick face takes 1 kg: four 500 g units do not fit, so put-away must choose bulk by weight.
        await Put("/api/warehouses/wh-rcv/locations/rcv-pick", new { type = "pickFace", maxWeightKg = 1 });
        await Put("/api/warehouses/wh-rcv/locations/rcv-bulk", new { type = "bulk", maxWeightKg = 500, maxVolumeCubicCm = 1_000_000 });
        await Put("/api/warehouses/wh-rcv/locations/rcv-over", new { type = "overflow" });
        await Put("/api/products/rcv-a", new { sku = "RCV-A", name = "Heavy", unitWeightGrams = 500, dimensions = new { lengthMm = 100, widthMm = 100, heightMm = 100 } });
        await Put("/api/products/rcv-b", new { sku = "RCV-B", name = "Light", unitWeightGrams = 10 });
        return api;
    }

    private static async Task ConfirmedOrderAsync(HttpClient api, string poId)
    {
        var created = await api.PostJsonAsync("/api/purchase-orders",
            $$"""{"poId":"{{poId}}","supplierId":"sup-1","warehouseId":"wh-rcv","expectedDate":"2030-02-01","lines":[{"productId":"rcv-a","quantity":10},{"productId":"rcv-b","quantity":5}]}""");
        Assert.True(created.Status is HttpStatusCode.Created or HttpStatusCode.OK, created.Body.ToString());
        Assert.Equal(HttpStatusCode.OK, (await api.PostJsonAsync($"/api/purchase-orders/{poId}/send", "")).Status);
        Assert.Equal(HttpStatusCode.OK, (await api.PostJsonAsync($"/api/purchase-orders/{poId}/confirm", "")).Status);
    }

    private static async Task<HttpStatusCode> ReceiveAsync(HttpClient api, string body) =>
        (await api.PostJsonAsync("/admin/functions/ReceivePurchaseOrder", body)).Status;

    [SkippableFact]
    public async Task Receipts_put_stock_away_move_the_order_to_partial_then_received_and_a_redelivery_changes_nothing()
    {
        var api = await WarehouseAsync(host);
        await ConfirmedOrderAsync(api, "po-rcv-1");

        Assert.Equal(HttpStatusCode.Accepted, await ReceiveAsync(api, Admin(Receipt("po-rcv-1", "rcpt-1", new { productId = "rcv-a", quantity = 4 }), "msg-1")));
        var partial = await api.GetJsonAsync("/api/purchase-orders/po-rcv-1");
        var stock = await api.GetJsonAsync("/api/products/rcv-a/stock");

        Assert.Equal("PARTIAL", partial.Body.Str("status"));
        Assert.Equal([4L, 0L], partial.Body.GetProperty("lines").EnumerateArray().Select(l => l.Long("quantityReceived")));
        Assert.Equal(4, stock.Body.Long("quantityOnHand"));
        var placed = Assert.Single(stock.Body.GetProperty("locations").EnumerateArray().ToArray());
        Assert.Equal(("rcv-bulk", "BULK", 4L), (placed.Str("locationId"), placed.Str("locationType"), placed.Long("quantityOnHand")));

        // The same message delivered again (Service Bus redelivers after a lost lock): no second effect.
        Assert.Equal(HttpStatusCode.Accepted, await ReceiveAsync(api, Admin(Receipt("po-rcv-1", "rcpt-1", new { productId = "rcv-a", quantity = 4 }), "msg-1", 2)));
        Assert.Equal(partial.Body.ToString(), (await api.GetJsonAsync("/api/purchase-orders/po-rcv-1")).Body.ToString());
        Assert.Equal(4, (await api.GetJsonAsync("/api/products/rcv-a/stock")).Body.Long("quantityOnHand"));

        Assert.Equal(HttpStatusCode.Accepted, await ReceiveAsync(api, Admin(Receipt("po-rcv-1", "rcpt-2",
            new { productId = "rcv-a", quantity = 6 }, new { productId = "rcv-b", quantity = 5, locationId = "rcv-pick" }))));
        var received = await api.GetJsonAsync("/api/purchase-orders/po-rcv-1");
        Assert.Equal("RECEIVED", received.Body.Str("status"));
        Assert.Equal([10L, 5L], received.Body.GetProperty("lines").EnumerateArray().Select(l => l.Long("quantityReceived")));
        var a = await api.GetJsonAsync("/api/products/rcv-a/stock");
        Assert.Equal(("rcv-bulk", 10L), (Assert.Single(a.Body.GetProperty("locations").EnumerateArray().ToArray()).Str("locationId"), a.Body.Long("quantityOnHand")));
        Assert.Equal(0, a.Body.Long("quantityIncoming"));
        Assert.Equal("rcv-pick", Assert.Single((await api.GetJsonAsync("/api/products/rcv-b/stock")).Body.GetProperty("locations").EnumerateArray().ToArray()).Str("locationId"));
        Assert.DoesNotContain((await api.GetJsonAsync("/api/quarantine/receipts")).Body.GetProperty("messages").EnumerateArray(),
            m => m.Str("messageId") == "msg-1");
    }

    [SkippableFact]
    public async Task Malformed_receipts_and_receipts_for_unknown_orders_end_in_the_quarantine_with_their_reason()
    {
        var api = await WarehouseAsync(host);
        await ConfirmedOrderAsync(api, "po-rcv-2");

        Assert.Equal(HttpStatusCode.Accepted, await ReceiveAsync(api, Admin("{\"poId\": \"po-rcv-2\", ", "msg-bad-json", 1)));
        Assert.Equal(HttpStatusCode.Accepted, await ReceiveAsync(api, Admin(Receipt("po-nowhere", "rcpt-9", new { productId = "rcv-a", quantity = 1 }), "msg-no-po", 1)));
        Assert.Equal(HttpStatusCode.Accepted, await ReceiveAsync(api, Admin(Receipt("po-rcv-2", "rcpt-10", new { productId = "rcv-a", quantity = 11 }), "msg-over", 3)));

        var quarantine = await api.GetJsonAsync("/api/quarantine/receipts");
        Assert.Equal(HttpStatusCode.OK, quarantine.Status);
        var kept = quarantine.Body.GetProperty("messages").EnumerateArray().ToDictionary(m => m.Str("messageId"));
        Assert.Equal(("malformed-json", "{\"poId\": \"po-rcv-2\", "), (kept["msg-bad-json"].Str("reason"), kept["msg-bad-json"].Str("body")));
        Assert.Equal("purchase-order-not-found", kept["msg-no-po"].Str("reason"));
        Assert.Contains("po-nowhere", kept["msg-no-po"].Str("description"), StringComparison.Ordinal);
        Assert.Equal(("over-receipt", 3L), (kept["msg-over"].Str("reason"), kept["msg-over"].Long("deliveryCount")));
        Assert.Equal("CONFIRMED", (await api.GetJsonAsync("/api/purchase-orders/po-rcv-2")).Body.Str("status"));
    }

    [SkippableFact]
    public async Task Supplier_events_move_their_order_and_an_event_for_an_unknown_order_is_quarantined()
    {
        var api = await WarehouseAsync(host);
        await api.PostJsonAsync("/api/purchase-orders",
            """{"poId":"po-rcv-3","supplierId":"sup-1","warehouseId":"wh-rcv","expectedDate":"2030-02-01","lines":[{"productId":"rcv-b","quantity":3}]}""");
        const string sent = """{"eventId":"ev-1","poId":"po-rcv-3","type":"Sent","occurredAt":"2030-01-20T10:00:00Z"}""";
        const string lost = """{"eventId":"ev-2","poId":"po-rcv-none","type":"Confirmed","occurredAt":"2030-01-20T10:00:00Z"}""";

        Assert.Equal(HttpStatusCode.Accepted, (await api.PostJsonAsync("/admin/functions/HandlePurchaseOrderEvent", Admin(sent))).Status);
        Assert.Equal(HttpStatusCode.Accepted, (await api.PostJsonAsync("/admin/functions/HandlePurchaseOrderEvent", Admin(lost, "msg-ev-2"))).Status);

        var order = await api.GetJsonAsync("/api/purchase-orders/po-rcv-3");
        Assert.Equal(("SENT", "2030-01-20T10:00:00+00:00"), (order.Body.Str("status"), order.Body.Str("sentAt")));
        var kept = Assert.Single((await api.GetJsonAsync("/api/quarantine/purchase-order-events")).Body.GetProperty("messages").EnumerateArray().ToArray());
        Assert.Equal(("msg-ev-2", "purchase-order-not-found"), (kept.Str("messageId"), kept.Str("reason")));
    }
}
