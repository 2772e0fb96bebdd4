using Inventory.Application.Orders;
using Inventory.Testing;

namespace Inventory.Core.Tests.Workflows;

/// <summary>
/// Found in review (2026-12-03): a one-product order's claimant, refused for a reason its product cannot record, writes
/// REJECTED on the header, then its process dies before its compensation reaches the product, where a twin of the order
/// had reserved 3 units (answered RESERVED). The order reads REJECTED, yet its units stayed held for good when no request
/// of the order came again: there is no saga entry, so recovery never sees it, and the hold sweep takes a REJECTED header
/// as holding nothing and removes its entry.
/// </summary>
public class ARejectedOneProductOrderWhoseClaimantDiedBeforeItsCompensationHoldsNothingTests
{
    [Theory]
    [InlineData(null)]
    [InlineData(30)]
    public async Task Recovery_gives_back_what_a_twin_reserved(int? holdMinutes)
    {
        var w = await RefusedClaimant.StartAsync(twinReserves: true, holdMinutes);
        Assert.StartsWith("Reserved 3/3/3", w.TwinAnswer);
        Assert.Equal(4, await w.ReservedAsync()); // "warm" and the twin's 3, for an order reading REJECTED

        w.Clock.Advance(TimeSpan.FromMinutes(31)); // past the hold and the recovery delay
        var app = w.Instance();
        await app.ExpireHolds.ExecuteAsync();
        Assert.Equal(0, (await app.RecoverOrders.ExecuteAsync()).Failed);

        Assert.Equal(1, await w.ReservedAsync()); // "warm" only
        var view = await app.Orders.ViewAsync(RefusedClaimant.OrderId, default);
        Assert.True(view.Status == OrderReservationStatus.Rejected && view.Lines.All(l => l.Remaining == 0),
            $"{RefusedClaimant.OrderId} reads {view.Status}, holding {view.Lines.Sum(l => l.Remaining)}");
        Assert.Equal(0, (await app.RecoverOrders.ExecuteAsync()).Open); // finished: nothing left enlisted
        await new StockScenario(app).AssertBooksBalanceAsync(Escrow.EscrowWorld.Product);
    }
}
