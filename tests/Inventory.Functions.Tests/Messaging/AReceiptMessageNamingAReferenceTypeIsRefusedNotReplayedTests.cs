using Inventory.Application;
using Inventory.Application.Orders;
using Inventory.Application.Purchasing;
using Inventory.Domain;
using Inventory.Functions.Functions;
using Inventory.Functions.Messaging;
using Inventory.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Inventory.Functions.Tests.Messaging;

/// <summary>
/// From the team's notes, "a purchase-order receipt replay that differs only in referenceType is answered replayed": not
/// so for a purchase order's receipt. Its message has no <c>referenceType</c> (its RECEIVE entries are always of type
/// <c>PurchaseOrder</c>) and is read strictly, so a redelivery naming one is refused as <c>validation-failed</c> and
/// quarantined, never taken as the receipt applied. (The defect was real for a direct receipt, whose fingerprint now
/// holds its reference type: <c>AReceiptReplayedWithAnotherReferenceTypeIsRefusedTests</c>.)
/// </summary>
public sealed class AReceiptMessageNamingAReferenceTypeIsRefusedNotReplayedTests
{
    [Fact]
    public async Task A_redelivery_that_adds_a_reference_type_is_quarantined_and_moves_nothing()
    {
        var app = new InventoryApplication(new InMemoryDocumentStore());
        var functions = app.Create<ReceivingFunctions>(new QueueIntake(app.Quarantine, NullLogger<QueueIntake>.Instance), new QueueNames());
        await app.SaveWarehouse.ExecuteAsync(new Warehouse { WarehouseId = "wh-q", Name = "Q" });
        await app.SaveLocation.ExecuteAsync(new Location { LocationId = "q-bulk", WarehouseId = "wh-q", Type = LocationType.Bulk });
        await app.SaveProduct.ExecuteAsync(new Product { ProductId = "p-q", Sku = "SKU-Q", Name = "Q" });
        var (order, _) = await app.CreatePurchaseOrder.ExecuteAsync(new CreatePurchaseOrderCommand("po-q", "sup-1", "wh-q", new DateOnly(2030, 1, 1), [new OrderLine("p-q", 10)]));
        await app.ChangePurchaseOrderStatus.ExecuteAsync(order.PoId, PurchaseOrderAction.Send);
        await app.ChangePurchaseOrderStatus.ExecuteAsync(order.PoId, PurchaseOrderAction.Confirm);
        const string receipt = """{"poId":"po-q","receiptId":"r-1","warehouseId":"wh-q","receivedBy":"s","lines":[{"productId":"p-q","quantity":4,"locationId":"q-bulk"}]}""";
        await functions.ReceivePurchaseOrder(receipt, "m-1", 1, default);

        var typed = receipt.Replace("\"receivedBy\":\"s\",", "\"receivedBy\":\"s\",\"referenceType\":\"Return\",", StringComparison.Ordinal);
        await functions.ReceivePurchaseOrder(typed, "m-2", 1, default);

        var kept = Assert.Single(await app.Quarantine.ListAsync("receipts"));
        Assert.Equal(("m-2", "validation-failed"), (kept.MessageId, kept.Reason));
        Assert.Contains("referenceType", kept.Description, StringComparison.Ordinal);
        Assert.Equal(4, (await app.Stock.GetStockAsync("p-q")).QuantityOnHand);
    }
}
