using System.Text.Json;
using Inventory.Functions.Tests.Support;

namespace Inventory.Functions.Tests.Workflows;

/// <summary>
/// Issue 12, defects 1 and 5: the purchase order accepts a receipt before any stock moves, so stock received always
/// equals what the purchase orders record, whatever races the receipt meets; and a PO receipt's keys cannot collide
/// with a direct receipt's.
/// </summary>
public sealed class PurchaseOrderReceiptTests(LocalHostFactory host) : IClassFixture<LocalHostFactory>
{
    private static string Receipt(string poId, string receiptId, string productId, long quantity) => JsonSerializer.Serialize(new
    {
        input = JsonSerializer.Serialize(new
        {
            poId, receiptId, warehouseId = "wh-" + productId, receivedBy = "dock",
            lines = new[] { new { productId, quantity, locationId = productId + "-pick" } },
        }),
    });

    private static async Task ConfirmedAsync(HttpClient api, string poId, string productId, long quantity)
    {
        await api.PostOkAsync("/api/purchase-orders", new
        {
            poId, supplierId = "sup", warehouseId = "wh-" + productId, expectedDate = "2030-02-01",
            lines = new[] { new { productId, quantity } },
        });
        await api.PostOkAsync($"/api/purchase-orders/{poId}/send", new { });
        await api.PostOkAsync($"/api/purchase-orders/{poId}/confirm", new { });
    }

    private static async Task<long> ReceivedOnOrderAsync(HttpClient api, string poId) =>
        (await api.GetJsonAsync($"/api/purchase-orders/{poId}")).Body.GetProperty("lines").EnumerateArray().Sum(l => l.Long("quantityReceived"));

    [SkippableFact]
    public async Task Two_receipts_for_the_same_outstanding_line_at_once_raise_stock_only_by_what_the_order_accepts()
    {
        var api = host.Api();
        for (var i = 0; i < 6; i++)
        {
            var (product, po) = ($"rc-twin-{i}", $"po-twin-{i}");
            await api.ProductAsync(product, 0);
            await ConfirmedAsync(api, po, product, 10);
            await Task.WhenAll(
                api.PostJsonAsync("/admin/functions/ReceivePurchaseOrder", Receipt(po, $"grn-{i}-a", product, 10)),
                api.PostJsonAsync("/admin/functions/ReceivePurchaseOrder", Receipt(po, $"grn-{i}-b", product, 10)));

            var received = await ReceivedOnOrderAsync(api, po);
            Assert.Equal(10, received); // the order takes exactly one of them (no tolerance configured)
            Assert.Equal(received, await api.OnHandAsync(product));
        }
    }

    [SkippableFact]
    public async Task A_receipt_racing_a_cancel_never_puts_stock_the_order_does_not_record()
    {
        var api = host.Api();
        for (var i = 0; i < 6; i++)
        {
            var (product, po) = ($"rc-cancel-{i}", $"po-cancel-{i}");
            await api.ProductAsync(product, 0);
            await ConfirmedAsync(api, po, product, 10);
            await Task.WhenAll(
                api.PostJsonAsync("/admin/functions/ReceivePurchaseOrder", Receipt(po, $"grn-c-{i}", product, 10)),
                api.PostJsonAsync($"/api/purchase-orders/{po}/cancel", "{}"));

            var order = (await api.GetJsonAsync($"/api/purchase-orders/{po}")).Body;
            var received = order.GetProperty("lines").EnumerateArray().Sum(l => l.Long("quantityReceived"));
            Assert.Equal(received, await api.OnHandAsync(product));
            if (order.Str("status") == "CANCELLED") Assert.Equal(0, await api.OnHandAsync(product));
        }
    }

    [SkippableFact]
    public async Task A_receipt_the_order_refuses_changes_no_stock()
    {
        var api = host.Api();
        await api.ProductAsync("rc-over", 0);
        await ConfirmedAsync(api, "po-over", "rc-over", 10);

        await api.PostJsonAsync("/admin/functions/ReceivePurchaseOrder", Receipt("po-over", "grn-over-1", "rc-over", 10));
        await api.PostJsonAsync("/admin/functions/ReceivePurchaseOrder", Receipt("po-over", "grn-over-2", "rc-over", 10));

        Assert.Equal(10, await ReceivedOnOrderAsync(api, "po-over"));
        Assert.Equal(10, await api.OnHandAsync("rc-over"));
        var quarantine = (await api.GetJsonAsync("/api/quarantine/receipts")).Body.ToString();
        Assert.Contains("grn-over-2", quarantine, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task A_direct_receipt_named_like_a_po_receipt_line_does_not_swallow_the_po_receipt()
    {
        var api = host.Api();
        await api.ProductAsync("rc-key", 0);
        await ConfirmedAsync(api, "po-key", "rc-key", 10);

        await api.PostOkAsync("/api/stock/receipts", new { receiptId = "GRN-7:0", productId = "rc-key", locationId = "rc-key-pick", quantity = 10 });
        await api.PostJsonAsync("/admin/functions/ReceivePurchaseOrder", Receipt("po-key", "GRN-7", "rc-key", 10));

        Assert.Equal(10, await ReceivedOnOrderAsync(api, "po-key"));
        Assert.Equal(20, await api.OnHandAsync("rc-key"));
    }
}
