using Azure;
using Inventory.Application;
using Inventory.Application.Orders;
using Inventory.Application.Purchasing;
using Inventory.Domain;
using Inventory.Functions.Functions;
using Inventory.Functions.Messaging;
using Inventory.Storage;
using Inventory.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Inventory.Functions.Tests.Messaging;

/// <summary>
/// The two Service Bus functions called as the Functions host calls them (body string, MessageId, DeliveryCount) over
/// the in-memory store: a good message is applied, poison is quarantined with its reason and returns normally (Service
/// Bus completes it), a transient failure throws (Service Bus redelivers) and quarantines nothing.
/// </summary>
public sealed class QueueFunctionsTests
{
    private readonly InMemoryDocumentStore store = new();
    private readonly InventoryApplication app;
    private readonly ReceivingFunctions functions;

    public QueueFunctionsTests()
    {
        app = new InventoryApplication(store);
        functions = app.Create<ReceivingFunctions>(new QueueIntake(app.Quarantine, NullLogger<QueueIntake>.Instance), new QueueNames());
    }

    private async Task<string> ConfirmedOrderAsync()
    {
        await app.SaveWarehouse.ExecuteAsync(new Warehouse { WarehouseId = "wh-q", Name = "Q" });
        await app.SaveLocation.ExecuteAsync(new Location { LocationId = "q-bulk", WarehouseId = "wh-q", Type = LocationType.Bulk });
        await app.SaveProduct.ExecuteAsync(new Product { ProductId = "p-q", Sku = "SKU-Q", Name = "Q" });
        var (order, _) = await app.CreatePurchaseOrder.ExecuteAsync(new CreatePurchaseOrderCommand("po-q", "sup-1", "wh-q", new DateOnly(2030, 1, 1), [new OrderLine("p-q", 10)]));
        await app.ChangePurchaseOrderStatus.ExecuteAsync(order.PoId, PurchaseOrderAction.Send);
        await app.ChangePurchaseOrderStatus.ExecuteAsync(order.PoId, PurchaseOrderAction.Confirm);
        return order.PoId;
    }

    private static string Receipt(string poId, string receiptId, long quantity) =>
        $$"""{"poId":"{{poId}}","receiptId":"{{receiptId}}","warehouseId":"wh-q","receivedBy":"scanner-1","lines":[{"productId":"p-q","quantity":{{quantity}},"locationId":"q-bulk"}]}""";

    [Fact]
    public async Task A_receipt_is_applied_once_however_often_it_is_delivered()
    {
        var poId = await ConfirmedOrderAsync();
        for (var delivery = 1; delivery <= 3; delivery++)
            await functions.ReceivePurchaseOrder(Receipt(poId, "r-1", 4), "m-1", delivery, default);

        Assert.Equal((PurchaseOrderStatus.Partial, 4L), ((await app.PurchaseOrders.GetAsync(poId)).Status, (await app.PurchaseOrders.GetAsync(poId)).Lines[0].QuantityReceived));
        Assert.Equal(4, (await app.Stock.GetStockAsync("p-q")).QuantityOnHand);
        Assert.Empty(await app.Quarantine.ListAsync("receipts"));
    }

    [Theory]
    [InlineData("{\"poId\":", "malformed-json")]
    [InlineData("""{"poId":"po-q","receiptId":"r-2","warehouseId":"wh-q","lines":[{"productId":"p-q","quantity":1}]}""", "validation-failed")]
    [InlineData("""{"poId":"po-q","receiptId":"r-2","warehouseId":"wh-q","receivedBy":"s","lines":[{"productId":"p-q","quantity":1}],"extra":1}""", "validation-failed")]
    [InlineData("""{"poId":"po-none","receiptId":"r-2","warehouseId":"wh-q","receivedBy":"s","lines":[{"productId":"p-q","quantity":1}]}""", "purchase-order-not-found")]
    [InlineData("""{"poId":"po-q","receiptId":"r-2","warehouseId":"wh-q","receivedBy":"s","lines":[{"productId":"p-q","quantity":11}]}""", "over-receipt")]
    public async Task Poison_is_quarantined_with_its_reason_and_completes_normally(string body, string reason)
    {
        await ConfirmedOrderAsync();

        await functions.ReceivePurchaseOrder(body, "m-poison", 2, default);

        var kept = Assert.Single(await app.Quarantine.ListAsync("receipts"));
        Assert.Equal(("receipts", "m-poison", reason, body, 2), (kept.Queue, kept.MessageId, kept.Reason, kept.Body, kept.DeliveryCount));
        Assert.False(string.IsNullOrEmpty(kept.Description));
        Assert.Equal(0, (await app.Stock.GetStockAsync("p-q")).QuantityOnHand);
    }

    [Fact]
    public async Task An_event_the_state_machine_refuses_is_quarantined_on_its_own_queue()
    {
        var poId = await ConfirmedOrderAsync();
        await app.ChangePurchaseOrderStatus.ExecuteAsync(poId, PurchaseOrderAction.Cancel);
        await functions.ReceivePurchaseOrder(Receipt(poId, "r-3", 1), "m-late", 1, default);
        var confirmAgain = $$"""{"eventId":"e-9","poId":"{{poId}}","type":"Confirmed","occurredAt":"2030-01-01T00:00:00Z"}""";

        await functions.HandlePurchaseOrderEvent(confirmAgain, "m-event", 1, default);

        Assert.Equal("invalid-transition", Assert.Single(await app.Quarantine.ListAsync("receipts")).Reason);
        Assert.Equal("invalid-transition", Assert.Single(await app.Quarantine.ListAsync("purchase-order-events")).Reason);
    }

    [Fact]
    public async Task A_supplier_event_moves_the_order_and_its_redelivery_changes_nothing()
    {
        await app.SaveWarehouse.ExecuteAsync(new Warehouse { WarehouseId = "wh-q", Name = "Q" });
        await app.SaveProduct.ExecuteAsync(new Product { ProductId = "p-q", Sku = "SKU-Q", Name = "Q" });
        await app.CreatePurchaseOrder.ExecuteAsync(new CreatePurchaseOrderCommand("po-e", "sup-1", "wh-q", new DateOnly(2030, 1, 1), [new OrderLine("p-q", 5)]));
        const string sent = """{"eventId":"e-1","poId":"po-e","type":"Sent","occurredAt":"2030-01-01T08:00:00Z"}""";
        const string confirmed = """{"eventId":"e-2","poId":"po-e","type":"confirmed","occurredAt":"2030-01-01T09:00:00Z"}""";

        await functions.HandlePurchaseOrderEvent(sent, "m-1", 1, default);
        await functions.HandlePurchaseOrderEvent(confirmed, "m-2", 1, default);
        await functions.HandlePurchaseOrderEvent(sent, "m-1", 2, default);

        var order = await app.PurchaseOrders.GetAsync("po-e");
        Assert.Equal(PurchaseOrderStatus.Confirmed, order.Status);
        Assert.Equal(["e-1", "e-2"], order.AppliedEvents);
        Assert.Empty(await app.Quarantine.ListAsync("purchase-order-events"));
    }

    [Fact]
    public async Task An_event_without_its_type_is_poison_not_a_default()
    {
        await functions.HandlePurchaseOrderEvent("""{"eventId":"e-1","poId":"po-e","occurredAt":"2030-01-01T08:00:00Z"}""", "m-1", 1, default);

        var kept = Assert.Single(await app.Quarantine.ListAsync("purchase-order-events"));
        Assert.Equal("validation-failed", kept.Reason);
        Assert.Contains("type", kept.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_store_outage_throws_for_redelivery_and_quarantines_nothing()
    {
        var poId = await ConfirmedOrderAsync();
        store.BeforeCommit = (collection, _, _) => { if (collection == Collection.Products) throw new RequestFailedException(503, "Service Unavailable"); };

        await Assert.ThrowsAsync<RequestFailedException>(() => functions.ReceivePurchaseOrder(Receipt(poId, "r-4", 2), "m-2", 1, default));

        store.BeforeCommit = null;
        Assert.Empty(await app.Quarantine.ListAsync("receipts"));
        await functions.ReceivePurchaseOrder(Receipt(poId, "r-4", 2), "m-2", 2, default);
        Assert.Equal(2, (await app.Stock.GetStockAsync("p-q")).QuantityOnHand);
        Assert.Equal(PurchaseOrderStatus.Partial, (await app.PurchaseOrders.GetAsync(poId)).Status);
    }
}
