using Inventory.Domain;

namespace Inventory.Core.Tests.Purchasing;

/// <summary>
/// Found in review (receiving, 2026-12-02): with an over-receipt tolerance a second receipt can be accepted while the
/// first is pending. The first completing the ordered quantity moved the order to RECEIVED with the second still pending:
/// the order's supply entry was dropped (what is incoming reads as nothing) and its lead time measured before the last
/// units were in. An order is RECEIVED only once no accepted receipt is pending; until then it stays PARTIAL.
/// </summary>
public class AnOrderIsNotReceivedWhileAReceiptIsStillPendingTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_receipt_completing_the_ordered_quantity_leaves_the_order_partial_while_another_is_pending()
    {
        var order = new PurchaseOrder
        {
            PoId = "PO1", SupplierId = "S", WarehouseId = "W1", Status = PurchaseOrderStatus.Confirmed, Lines = [new PurchaseOrderLine("A", 10)],
        };
        order = order.Accept("R1", "dock", [new PendingReceiptLine("A", 10, "L1")], tolerancePercent: 10, Now)
            .Accept("R2", "dock", [new PendingReceiptLine("A", 1, "L1")], tolerancePercent: 10, Now);

        var first = order.CompleteReceipt("R1", Now);
        Assert.True(first.Status == PurchaseOrderStatus.Partial && first.ReceivedAt is null,
            $"R2 is still pending, yet completing R1 moved the order to {first.Status} (received at {first.ReceivedAt})");

        var second = first.CompleteReceipt("R2", Now.AddMinutes(5));
        Assert.Equal(PurchaseOrderStatus.Received, second.Status);
        Assert.Equal(Now.AddMinutes(5), second.ReceivedAt);
        Assert.Equal(11, second.Lines.Single().QuantityReceived);
    }
}
