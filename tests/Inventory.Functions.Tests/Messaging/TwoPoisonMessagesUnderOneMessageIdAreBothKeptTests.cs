using Inventory.Application.Orders;
using Inventory.Application.Purchasing;
using Inventory.Domain;
using Inventory.Functions.Functions;
using Inventory.Functions.Messaging;
using Inventory.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Inventory.Functions.Tests.Messaging;

/// <summary>
/// Found in review: the quarantine keeps one document per MessageId (<c>Quarantine.PutAsync</c> upserts
/// <c>msg|{messageId}</c>), so that a redelivered poison message is kept once. But the receipts and
/// purchase-order-events queues have no duplicate detection (infra/main.bicep), and a MessageId is whatever the sender
/// sets (a WMS that sets it to the poId, a scanner that restarts its counter): two <b>different</b> poison messages under
/// one MessageId are both completed on the queue, and the second overwrites the first in the quarantine. The first
/// receipt (its body, its reason) is then gone for good: the promise "nothing silently lost" is broken. A redelivery has
/// the same id and the same body; keying the document by the id and a hash of the body (or appending) keeps both.
/// </summary>
public sealed class TwoPoisonMessagesUnderOneMessageIdAreBothKeptTests
{
    [Fact]
    public async Task Two_different_poison_receipts_sent_under_one_message_id_are_both_in_the_quarantine()
    {
        var app = new InventoryApplication(new InMemoryDocumentStore());
        var functions = app.Create<ReceivingFunctions>(new QueueIntake(app.Quarantine, NullLogger<QueueIntake>.Instance), new QueueNames());
        await app.SaveWarehouse.ExecuteAsync(new Warehouse { WarehouseId = "wh-q", Name = "Q" });
        await app.SaveLocation.ExecuteAsync(new Location { LocationId = "q-bulk", WarehouseId = "wh-q", Type = LocationType.Bulk });
        await app.SaveProduct.ExecuteAsync(new Product { ProductId = "p-q", Sku = "SKU-Q", Name = "Q" });
        await app.CreatePurchaseOrder.ExecuteAsync(new CreatePurchaseOrderCommand("po-q", "sup-1", "wh-q", new DateOnly(2030, 1, 1), [new OrderLine("p-q", 10)]));

        // Two receipts of the PO, both sent with MessageId = the poId, both refused (the order is not confirmed yet).
        const string first = """{"poId":"po-q","receiptId":"r-1","warehouseId":"wh-q","receivedBy":"dock-1","lines":[{"productId":"p-q","quantity":4,"locationId":"q-bulk"}]}""";
        const string second = """{"poId":"po-q","receiptId":"r-2","warehouseId":"wh-q","receivedBy":"dock-2","lines":[{"productId":"p-q","quantity":6,"locationId":"q-bulk"}]}""";
        await functions.ReceivePurchaseOrder(first, "po-q", 1, default);
        await functions.ReceivePurchaseOrder(second, "po-q", 1, default);

        var kept = await app.Quarantine.ListAsync("receipts");
        Assert.True(kept.Count == 2,
            $"two different receipts were quarantined and completed, but the quarantine holds {kept.Count}: "
            + string.Join("; ", kept.Select(k => k.Body)) + " (the other one is lost)");
        Assert.Equal([first, second], kept.Select(k => k.Body).Order(StringComparer.Ordinal));
    }
}
