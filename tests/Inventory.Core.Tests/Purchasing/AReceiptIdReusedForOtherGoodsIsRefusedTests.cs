using Inventory.Application.Purchasing;
using Inventory.Domain;

namespace Inventory.Core.Tests.Purchasing;

/// <summary>
/// Found in review: <c>ReceivePurchaseOrder.ExecuteAsync</c> treats any message whose <c>receiptId</c> the order has
/// applied as a redelivery (<c>AlreadyApplied</c>) without comparing what it says, and the order keeps only the ids
/// (<c>PurchaseOrder.AppliedReceipts</c>). A second, different receipt that reuses the id (a scanner restarting its
/// numbering, a WMS bug) is logged as "already applied" and completed: its goods are never received, the order stays
/// PARTIAL, and nothing is quarantined. A direct receipt reusing a reference for other goods is refused
/// (<c>ReferenceConflictException</c>, from the operation's fingerprint); a PO receipt should be refused the same way,
/// so the message ends in the quarantine with its reason instead of vanishing.
/// </summary>
public class AReceiptIdReusedForOtherGoodsIsRefusedTests
{
    [Fact]
    public async Task A_second_receipt_under_an_applied_receipt_id_with_other_lines_is_refused_not_swallowed()
    {
        var (s, _) = await ReceivingScenario.CreateAsync();
        var first = await s.App.ReceivePurchaseOrder.ExecuteAsync(new ReceiptMessage("PO1", "R1", "W1", "dock-7", [new("A", 10)]));
        Assert.Equal(PurchaseOrderStatus.Partial, first.Order.Status);

        // Other goods (20 more of A, and B) under the same receipt id: not a redelivery of R1.
        var other = new ReceiptMessage("PO1", "R1", "W1", "dock-7", [new("A", 20), new("B", 10, "BULK")]);
        var error = await Record.ExceptionAsync(() => s.App.ReceivePurchaseOrder.ExecuteAsync(other));

        var received = (await s.App.PurchaseOrders.GetAsync("PO1")).Lines.Select(l => l.QuantityReceived).ToArray();
        Assert.True(error is DomainException,
            $"a different receipt reusing 'R1' was answered {(error is null ? "as already applied" : error.GetType().Name)}: its 30 units are neither received "
            + $"(order lines received: {string.Join(", ", received)}) nor refused (so the message would be completed, not quarantined)");
        Assert.Equal([10L, 0L], received);
    }
}
