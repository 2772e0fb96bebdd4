using Inventory.Application;
using Inventory.Application.Orders;
using Inventory.Application.Stock;
using Inventory.Domain;
using Inventory.Storage;
using Inventory.Testing;

namespace Inventory.Core.Tests.Coalescing;

/// <summary>
/// Found in review: a claimant's commit lands but is reported as a conflict (the store's own retry of a commit whose
/// answer was lost meets the head it replaced). Before the batch is decided again, another instance releases the order
/// (a cancellation: the order's header is there and its reservation visible). The batch's retry read back only the pack
/// parts its attempts wrote and, the claim still exclusive (<see cref="StockRead.NewUntil"/>), did not look for the
/// order's reservation: the part was gone (its last reservation left it for <c>rsc|</c>), so the order was reserved a
/// second time, those units held for an order its own reads find released. The retry now also reads back the attempt's
/// ledger document, which names the orders it reserved, and looks for them (<see cref="StockRead.Attempted"/>).
/// </summary>
public class ALandedReservationReleasedBeforeItsRetryIsNotReservedAgainTests
{
    [Theory]
    [InlineData(true)]  // the reservation goes into a pack part (rsb|)
    [InlineData(false)] // its own document (res|), as before packs
    public async Task The_retry_does_not_reserve_an_order_released_after_its_commit_landed(bool coalesce)
    {
        var lossy = await LandedUnheard.CreateAsync(coalesce, stock: 10);
        var (a, b) = (lossy.A, lossy.B.App);

        lossy.Meanwhile = async () =>
        {
            var released = await b.Release.ExecuteAsync(new ReservationChangeCommand(LandedUnheard.Order, Reference: "cancel"));
            Assert.Equal(OrderReservationStatus.Released, released.Status);
        };
        var reserved = await a.App.Reserve.ExecuteAsync(new ReserveCommand(LandedUnheard.Order, [new("P", 3)]));
        Assert.Equal(1, lossy.Lost);
        Assert.Equal(coalesce, (await a.App.Orders.GetAsync(LandedUnheard.Order, default)).Pack is not null);

        // The order was reserved once and released once: nothing of it may still be held.
        var ledger = await a.LedgerAsync("P");
        Assert.Single(ledger, e => e.TxnType == TxnType.Reserve && e.ReferenceId == LandedUnheard.Order);
        Assert.Equal(0, (await a.App.Stock.GetStockAsync("P")).QuantityReserved);
        await a.AssertBooksBalanceAsync("P");
    }
}
