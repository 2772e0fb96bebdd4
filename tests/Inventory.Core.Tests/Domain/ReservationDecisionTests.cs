using Inventory.Domain;
using static Inventory.Core.Tests.Domain.Stocks;

namespace Inventory.Core.Tests.Domain;

public class ReservationDecisionTests
{
    [Fact]
    public void All_or_nothing_shortfall_records_a_rejection_and_moves_nothing()
    {
        var stock = With(Balance("A", 5, reserved: 2));
        var r = stock.Reserve(Order("O1", 4), AllocationOptions.Default, Now);
        Assert.Equal(ReservationStatus.Rejected, r.Status);
        Assert.Equal(3, r.AvailableAtDecision);
        Assert.Empty(stock.NewEntries);
        Assert.Equal(2, stock.Balance("A")!.QuantityReserved);
        Assert.Contains("O1", stock.ChangedReservations);
    }

    [Fact]
    public void Partial_policy_reserves_what_is_available()
    {
        var stock = With(Balance("A", 5, reserved: 2));
        var r = stock.Reserve(Order("O1", 4, ReservationPolicy.Partial), AllocationOptions.Default, Now);
        Assert.Equal(ReservationStatus.Active, r.Status);
        Assert.Equal(3, r.Reserved);
        Assert.Equal(5, stock.Balance("A")!.QuantityReserved);
    }

    [Fact]
    public void Each_affected_location_gets_exactly_one_reserve_entry_with_its_deltas()
    {
        var stock = With(Balance("A", 2), Balance("B", 5));
        stock.Reserve(Order("O1", 6), AllocationOptions.Default, Now);
        Assert.Collection(stock.NewEntries.OrderBy(e => e.LocationId),
            e => { Assert.Equal(("A", TxnType.Reserve, 1L, 0L, 1L), (e.LocationId, e.TxnType, e.Quantity, e.OnHandDelta, e.ReservedDelta)); },
            e => { Assert.Equal(("B", TxnType.Reserve, 5L, 0L, 5L), (e.LocationId, e.TxnType, e.Quantity, e.OnHandDelta, e.ReservedDelta)); });
        Assert.Equal([1L, 2L], stock.NewEntries.Select(e => e.Sequence));
        Assert.All(stock.NewEntries, e => Assert.StartsWith("RESERVE:O1:", e.TxnId, StringComparison.Ordinal));
    }

    [Fact]
    public void A_recorded_reservation_is_returned_without_a_second_effect()
    {
        var stock = With(Balance("A", 10));
        var first = stock.Reserve(Order("O1", 4), AllocationOptions.Default, Now);
        var entries = stock.NewEntries.Count;
        var again = stock.Reserve(Order("O1", 4), AllocationOptions.Default, Now);
        Assert.Same(first, again);
        Assert.Equal(entries, stock.NewEntries.Count);
        Assert.Equal(4, stock.Balance("A")!.QuantityReserved);
    }

    [Fact]
    public void An_inactive_product_cannot_be_reserved()
    {
        var stock = new ProductStock(Product(active: false), 0, [Balance("A", 10)], [KeyValuePair.Create("O1", (ProductReservation?)null)]);
        Assert.Throws<InvalidStateException>(() => stock.Reserve(Order("O1", 1), AllocationOptions.Default, Now));
        Assert.False(stock.HasChanges);
    }
}
