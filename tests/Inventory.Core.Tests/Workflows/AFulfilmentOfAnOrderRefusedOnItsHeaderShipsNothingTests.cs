using Inventory.Application.Orders;
using Inventory.Domain;
using Inventory.Testing;

namespace Inventory.Core.Tests.Workflows;

/// <summary>
/// Found in review (2026-12-03), beside <see cref="ACancelOfAnOrderRefusedOnItsHeaderAnswersRejectedHoldingNothingTests"/>:
/// a one-product order's claimant writes REJECTED on the header and dies before its compensation reaches the product,
/// where a twin had reserved 3 units. A fulfilment then shipped those 3 units of an order reading REJECTED (200, the order
/// still REJECTED, with 3 shipped); once compensated, the same fulfilment is 409 <c>invalid-state</c>. A fulfilment of an
/// order refused on its header is refused, whatever its product holds.
/// </summary>
public class AFulfilmentOfAnOrderRefusedOnItsHeaderShipsNothingTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_fulfilment_is_refused_and_ships_nothing(bool recoveredFirst)
    {
        var w = await RefusedClaimant.StartAsync(twinReserves: true);
        if (recoveredFirst)
        {
            w.Clock.Advance(TimeSpan.FromSeconds(61));
            Assert.Equal(0, (await w.Instance().RecoverOrders.ExecuteAsync()).Failed);
        }

        var fulfil = new ReservationChangeCommand(RefusedClaimant.OrderId, Reference: "ship-1");
        var answer = await StalledClaimant.Answer(() => w.Instance().Fulfill.ExecuteAsync(fulfil));

        Assert.StartsWith(nameof(InvalidStateException) + " invalid-state", answer);
        Assert.Equal(100, (await w.Instance().Stock.GetStockAsync(Escrow.EscrowWorld.Product)).QuantityOnHand);
        w.Clock.Advance(TimeSpan.FromSeconds(61));
        Assert.Equal(0, (await w.Instance().RecoverOrders.ExecuteAsync()).Failed);
        Assert.Equal(1, await w.ReservedAsync()); // "warm" only
        var view = await w.Instance().Orders.ViewAsync(RefusedClaimant.OrderId, default);
        Assert.Equal((OrderReservationStatus.Rejected, 0L), (view.Status, view.Lines.Sum(l => l.Shipped)));
        await new StockScenario(w.Instance()).AssertBooksBalanceAsync(Escrow.EscrowWorld.Product);
    }
}
