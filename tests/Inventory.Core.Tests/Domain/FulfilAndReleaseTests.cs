using Inventory.Domain;
using static Inventory.Core.Tests.Domain.Stocks;

namespace Inventory.Core.Tests.Domain;

public class FulfilAndReleaseTests
{
    private static ProductStock Reserved(long quantity, params StockBalance[] balances)
    {
        var stock = With(balances);
        stock.Reserve(Order("O1", quantity), AllocationOptions.Default, Now);
        return stock;
    }

    [Fact]
    public void Shipping_lowers_on_hand_and_reserved_at_the_allocated_locations()
    {
        var stock = Reserved(6, Balance("A", 4, type: LocationType.PickFace), Balance("B", 10));
        var r = stock.Fulfill("O1", "ship-all", "all", null, "test", Now);
        Assert.Equal(ReservationStatus.Fulfilled, r.Status);
        Assert.Equal((0L, 0L), (stock.Balance("A")!.QuantityOnHand, stock.Balance("A")!.QuantityReserved));
        Assert.Equal((8L, 0L), (stock.Balance("B")!.QuantityOnHand, stock.Balance("B")!.QuantityReserved));
        var ships = stock.NewEntries.Where(e => e.TxnType == TxnType.Ship).ToArray();
        Assert.Equal([-4L, -2L], ships.Select(e => e.Quantity));
        Assert.All(ships, e => Assert.Equal(e.OnHandDelta, e.ReservedDelta));
    }

    [Fact]
    public void Partial_shipments_leave_the_rest_reserved_and_never_ship_beyond_it()
    {
        var stock = Reserved(5, Balance("A", 10));
        var r = stock.Fulfill("O1", "ship-1", "2", 2, "test", Now);
        Assert.Equal((ReservationStatus.Active, 3L), (r.Status, r.Remaining));
        var e = Assert.Throws<ValidationException>(() => stock.Fulfill("O1", "ship-2", "4", 4, "test", Now));
        Assert.Contains("only 3", e.Message, StringComparison.Ordinal);
        Assert.Equal((8L, 3L), (stock.Balance("A")!.QuantityOnHand, stock.Balance("A")!.QuantityReserved));
    }

    [Fact]
    public void A_repeated_fulfilment_reference_is_a_no_op_and_a_reused_one_with_other_content_is_refused()
    {
        var stock = Reserved(5, Balance("A", 10));
        stock.Fulfill("O1", "ship-x", "2", 2, "test", Now);
        var entries = stock.NewEntries.Count;
        stock.Fulfill("O1", "ship-x", "2", 2, "test", Now);
        Assert.Equal(entries, stock.NewEntries.Count);
        Assert.Throws<ReferenceConflictException>(() => stock.Fulfill("O1", "ship-x", "3", 3, "test", Now));
    }

    [Fact]
    public void Release_gives_back_the_latest_allocation_first_and_records_a_release_entry_per_location()
    {
        var stock = Reserved(6, Balance("A", 4, type: LocationType.PickFace), Balance("B", 10));
        stock.Release("O1", "rel-1", "3", 3, ReleaseReason.Requested, "test", Now); // B's 2, then 1 of A's 4
        Assert.Equal(3, stock.Balance("A")!.QuantityReserved);
        Assert.Equal(0, stock.Balance("B")!.QuantityReserved);
        var r = stock.Release("O1", "rel-all", "all", null, ReleaseReason.Requested, "test", Now);
        Assert.Equal((ReservationStatus.Released, 0L), (r.Status, r.Remaining));
        Assert.Equal(0, stock.Reserved);
        Assert.Equal(3, stock.NewEntries.Count(e => e.TxnType == TxnType.Release));
    }

    [Fact]
    public void Releasing_or_fulfilling_an_unknown_order_is_refused()
    {
        var stock = With(Balance("A", 10));
        Assert.Throws<ReservationNotFoundException>(() => stock.Release("O2", "r", "all", null, ReleaseReason.Requested, "t", Now));
        Assert.Throws<ReservationNotFoundException>(() => stock.Fulfill("O2", "f", "all", null, "t", Now));
    }
}
