using Inventory.Application;
using Inventory.Application.Orders;
using Inventory.Domain;
using Inventory.Storage;
using Inventory.Testing;

namespace Inventory.Core.Tests.Coalescing;

/// <summary>
/// A claimant's commit that refuses its order (not enough stock: a rejection, recorded as the order's closed reservation
/// with no stock moved) lands, but its answer is lost (reported as a conflict). Before the batch decides again, units are
/// received. The retry, its claim still exclusive, did not look for the order: it reserved it, so the order held units
/// beside the rejection every reader by order id finds first. What the failed attempt created is read back now
/// (<see cref="StockRead.Attempted"/>), the rejection among it.
/// </summary>
public class ALandedRejectionIsNotReservedByItsRetryTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task The_retry_of_a_landed_rejection_does_not_reserve_the_order(bool coalesce)
    {
        var lossy = await LandedUnheard.CreateAsync(coalesce, stock: 2);
        var (a, b) = (lossy.A, lossy.B);

        lossy.Meanwhile = () => b.StockAsync("P", "L1", 5);
        var refused = await Record.ExceptionAsync(() => a.App.Reserve.ExecuteAsync(new ReserveCommand(LandedUnheard.Order, [new("P", 3)])));

        Assert.Equal(1, lossy.Lost);
        Assert.IsType<InsufficientStockException>(refused); // what was decided, and recorded, first
        Assert.DoesNotContain(await a.LedgerAsync("P"), e => e.TxnType == TxnType.Reserve);
        Assert.Equal(0, (await a.App.Stock.GetStockAsync("P")).QuantityReserved);
        Assert.Equal(OrderReservationStatus.Rejected, (await a.App.Orders.ViewAsync(LandedUnheard.Order, default)).Status);
        await a.AssertBooksBalanceAsync("P");
    }
}
