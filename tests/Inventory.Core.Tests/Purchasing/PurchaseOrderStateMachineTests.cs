using Inventory.Domain;

namespace Inventory.Core.Tests.Purchasing;

public class PurchaseOrderStateMachineTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 9, 0, 0, TimeSpan.Zero);

    private static PurchaseOrder Draft() => new()
    {
        PoId = "PO1", SupplierId = "S1", WarehouseId = "W1", Lines = [new("A", 10), new("B", 5)], CreatedAt = Now,
    };

    [Fact]
    public void An_order_goes_draft_sent_confirmed_partial_received()
    {
        var po = Draft().Send(Now).Confirm(Now);
        Assert.Equal(PurchaseOrderStatus.Confirmed, po.Status);
        po = po.Receive("R1", [new("A", 10)], 0, Now);
        Assert.Equal(PurchaseOrderStatus.Partial, po.Status);
        po = po.Receive("R2", [new("B", 5)], 0, Now);
        Assert.Equal(PurchaseOrderStatus.Received, po.Status);
        Assert.Equal(Now, po.ReceivedAt);
        Assert.Equal([10L, 5L], po.Lines.Select(l => l.QuantityReceived));
    }

    [Theory]
    [InlineData(PurchaseOrderStatus.Draft)]
    [InlineData(PurchaseOrderStatus.Sent)]
    [InlineData(PurchaseOrderStatus.Received)]
    [InlineData(PurchaseOrderStatus.Cancelled)]
    public void Receipts_are_refused_outside_confirmed_and_partial(PurchaseOrderStatus status)
    {
        var po = Draft() with { Status = status };
        var e = Assert.Throws<InvalidTransitionException>(() => po.Receive("R1", [new("A", 1)], 0, Now));
        Assert.Equal("invalid-transition", e.Code);
    }

    [Fact]
    public void A_draft_being_sent_is_not_cancelled_until_sent_or_its_sender_silent_past_the_timeout()
    {
        var sending = Draft().BeginSending(Now);

        Assert.Contains("being sent", Assert.Throws<InvalidTransitionException>(() => sending.Cancel(Now.AddMinutes(1))).Message, StringComparison.Ordinal);
        Assert.Equal(PurchaseOrderStatus.Cancelled, sending.Send(Now.AddMinutes(1)).Cancel(Now.AddMinutes(1)).Status);
        Assert.Equal(PurchaseOrderStatus.Cancelled, sending.Cancel(Now + PurchaseOrder.SendingTimeout).Status);
        Assert.Null(sending.Send(Now).SendingSince);
    }

    [Fact]
    public void Invalid_moves_are_typed_errors()
    {
        Assert.Throws<InvalidTransitionException>(() => Draft().Confirm(Now));
        Assert.Throws<InvalidTransitionException>(() => Draft().Send(Now).Send(Now));
        var received = Draft().Send(Now).Confirm(Now).Receive("R", [new("A", 10), new("B", 5)], 0, Now);
        Assert.Throws<InvalidTransitionException>(() => received.Cancel(Now));
        Assert.Equal(PurchaseOrderStatus.Cancelled, Draft().Send(Now).Cancel(Now).Status);
    }

    [Fact]
    public void Over_receipt_is_refused_past_the_tolerance()
    {
        var po = Draft().Send(Now).Confirm(Now);
        Assert.Throws<OverReceiptException>(() => po.Receive("R1", [new("A", 11)], 0, Now));
        Assert.Equal(PurchaseOrderStatus.Partial, po.Receive("R1", [new("A", 11)], 10, Now).Status);
        Assert.Throws<OverReceiptException>(() => po.Receive("R1", [new("A", 6), new("A", 6)], 10, Now));
        Assert.Throws<ValidationException>(() => po.Receive("R1", [new("Z", 1)], 0, Now));
    }

    [Fact]
    public void A_receipt_applied_once_is_not_applied_again()
    {
        var po = Draft().Send(Now).Confirm(Now).Receive("R1", [new("A", 4)], 0, Now);
        Assert.Same(po, po.Receive("R1", [new("A", 4)], 0, Now));
        Assert.Equal(4, po.Lines[0].QuantityReceived);
    }
}
