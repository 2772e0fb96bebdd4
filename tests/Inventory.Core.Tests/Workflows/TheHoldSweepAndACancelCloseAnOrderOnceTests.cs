using Inventory.Application.Lists;
using Inventory.Application.Orders;
using Inventory.Core.Tests.Escrow;
using Inventory.Domain;
using static Inventory.Core.Tests.Workflows.StalledClaimant;

namespace Inventory.Core.Tests.Workflows;

/// <summary>
/// Review of the cancel's close, 2026-12-03: it and the hold sweep's fence are the same record (<c>rsc|{orderId}</c>,
/// released, nothing allocated) with another reason. Whichever lands first stays: a cancel after the sweep's fence is
/// answered RELEASED, nothing held; a sweep after the cancel's close removes the hold entry and writes nothing. The closed
/// order reads released in its view and in the product's reservation list, and no ledger entry is made (no quantity
/// moved). Passed on arrival: kept as a guard.
/// </summary>
public class TheHoldSweepAndACancelCloseAnOrderOnceTests
{
    private static readonly ReservationChangeCommand Cancel = new(OrderId, Reference: "cancel-1");

    [Theory]
    [InlineData(StalledIn.Product)]
    [InlineData(StalledIn.BucketNotMadeYet)]
    public async Task A_cancel_after_the_sweep_fenced_the_order_is_released_holding_nothing(StalledIn where)
    {
        var s = await StartAsync(where, holdMinutes: 1);
        s.Clock.Advance(TimeSpan.FromMinutes(2));

        Assert.Equal(new ExpirySweepResult(1, 0, 0), await s.Instance(2).ExpireHolds.ExecuteAsync());
        var released = await Answer(() => s.Instance(2).Release.ExecuteAsync(Cancel));

        Assert.Equal("Released P:nothing-held 3/0/0", released);
        Assert.Equal("Released 3/0/0", await s.ClaimantAnswerAsync());
        Assert.Equal(released, await Answer(() => s.Instance(3).Release.ExecuteAsync(Cancel)));
        Assert.Equal("hold-expired", (await RecordAsync(s))!.StatusReason);
        await s.AssertReleasedHoldingNothingAsync();
    }

    [Theory]
    [InlineData(StalledIn.Product)]
    [InlineData(StalledIn.Bucket)]
    [InlineData(StalledIn.BucketNotMadeYet)]
    public async Task The_sweep_after_a_cancel_closed_the_order_only_removes_its_hold_entry(StalledIn where)
    {
        var s = await StartAsync(where, holdMinutes: 1);
        Assert.Equal("Released P:nothing-held 3/0/0", await Answer(() => s.Instance(2).Release.ExecuteAsync(Cancel)));
        s.Clock.Advance(TimeSpan.FromMinutes(2));

        Assert.Equal(new ExpirySweepResult(1, 0, 0), await s.Instance(2).ExpireHolds.ExecuteAsync());
        Assert.Equal("Released 3/0/0", await s.ClaimantAnswerAsync());
        Assert.Equal(new ExpirySweepResult(0, 0, 0), await s.Instance(2).ExpireHolds.ExecuteAsync());

        var record = await RecordAsync(s);
        Assert.Equal((ReservationStatus.Released, ProductStock.ReleasedReason, 3L, 0L), (record!.Status, record.StatusReason, record.Requested, record.Reserved));
        var listed = await s.Instance(2).Get<ProductReservations>().ListAsync(EscrowWorld.Product, ReservationStatus.Released);
        Assert.Contains(listed.Items, i => i.OrderId == OrderId && i.Remaining == 0);
        Assert.DoesNotContain((await s.Instance(2).Get<ProductReservations>().ListAsync(EscrowWorld.Product, ReservationStatus.Active)).Items,
            i => i.OrderId == OrderId);
        if (where is StalledIn.Product) // no quantity moved: no ledger entry names the order
            Assert.DoesNotContain((await s.Instance(2).Stock.GetLedgerAsync(EscrowWorld.Product, 1000)).Entries, e => e.ReferenceId == OrderId);
        await s.AssertReleasedHoldingNothingAsync();
    }

    private static async Task<ProductReservation?> RecordAsync(StalledClaimant s)
    {
        var app = s.Instance(2);
        var order = (await app.Orders.FindAsync(OrderId, default))!;
        return await app.Partitions.ReservationAsync(order.StockOf(EscrowWorld.Product), OrderId, order.Pack, default);
    }
}
