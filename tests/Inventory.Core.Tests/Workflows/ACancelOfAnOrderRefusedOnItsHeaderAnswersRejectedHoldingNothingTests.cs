using Inventory.Application.Orders;
using Inventory.Testing;

namespace Inventory.Core.Tests.Workflows;

/// <summary>
/// Found in review (2026-12-03): a one-product order's claimant writes REJECTED on the header and dies before its
/// compensation reaches the product. A cancel (a release of every line) then answered as the product happened to stand:
/// 404 <c>reservation-not-found</c> where nothing was reserved, 200 <c>RELEASED</c> <c>applied</c> where a twin had
/// reserved (the order, read <c>REJECTED</c> until then, reading <c>RELEASED</c> from then on), and 200 <c>REJECTED</c>
/// <c>nothing-held</c> once a reserve replay or recovery had compensated. A cancel that reads a refusal on the header is
/// answered as the order stands, whatever its product holds: <c>REJECTED</c>, nothing held (what a twin reserved given back
/// as the compensation gives it back).
/// </summary>
public class ACancelOfAnOrderRefusedOnItsHeaderAnswersRejectedHoldingNothingTests
{
    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public async Task The_cancel_answers_rejected_nothing_held(bool twinReserves, bool recoveredFirst)
    {
        var w = await RefusedClaimant.StartAsync(twinReserves);
        if (recoveredFirst)
        {
            w.Clock.Advance(TimeSpan.FromSeconds(61));
            Assert.Equal(0, (await w.Instance().RecoverOrders.ExecuteAsync()).Failed);
        }

        var cancel = new ReservationChangeCommand(RefusedClaimant.OrderId, Reference: "cancel-1");
        var answer = await StalledClaimant.Answer(() => w.Instance().Release.ExecuteAsync(cancel));

        Assert.Equal(twinReserves ? "Rejected P:nothing-held 3/3/0" : "Rejected P:nothing-held 3/0/0", answer);
        Assert.Equal(answer, await StalledClaimant.Answer(() => w.Instance().Release.ExecuteAsync(cancel)));
        Assert.Equal(1, await w.ReservedAsync()); // "warm" only
        w.Clock.Advance(TimeSpan.FromSeconds(61));
        Assert.Equal(0, (await w.Instance().RecoverOrders.ExecuteAsync()).Failed);
        Assert.Equal(answer, await StalledClaimant.Answer(() => w.Instance().Release.ExecuteAsync(cancel)));
        Assert.Equal(OrderReservationStatus.Rejected, (await w.Instance().Orders.ViewAsync(RefusedClaimant.OrderId, default)).Status);
        Assert.Equal(1, await w.ReservedAsync());
        await new StockScenario(w.Instance()).AssertBooksBalanceAsync(Escrow.EscrowWorld.Product);
    }
}
