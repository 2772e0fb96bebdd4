using Inventory.Domain;
using static Inventory.Core.Tests.Domain.Stocks;

namespace Inventory.Core.Tests.Domain;

public class StockMovementTests
{
    [Fact]
    public void An_adjustment_below_reserved_is_refused_unless_forced()
    {
        var stock = With(Balance("A", 10, reserved: 6));
        var e = Assert.Throws<StockWouldGoNegativeException>(() =>
            stock.Adjust(new AdjustRequest("A1", "A", -5, null, "damaged", false, "t"), Location("A"), Now));
        Assert.Equal((5L, 6L), (e.OnHandAfter, e.Reserved));
        Assert.False(stock.HasChanges);
        stock.Adjust(new AdjustRequest("A1", "A", -5, null, "damaged", true, "t"), Location("A"), Now);
        Assert.Equal(5, stock.Balance("A")!.QuantityOnHand);
    }

    [Fact]
    public void No_adjustment_takes_on_hand_below_zero_even_forced()
    {
        var stock = With(Balance("A", 3));
        Assert.Throws<StockWouldGoNegativeException>(() =>
            stock.Adjust(new AdjustRequest("A1", "A", -4, null, "lost", true, "t"), Location("A"), Now));
    }

    [Fact]
    public void A_count_sets_on_hand_and_last_counted_and_writes_the_difference()
    {
        var stock = With(Balance("A", 10));
        stock.Adjust(new AdjustRequest("A1", "A", null, 7, "cycle-count", false, "t"), Location("A"), Now);
        var entry = Assert.Single(stock.NewEntries);
        Assert.Equal((TxnType.Adjust, -3L, "cycle-count"), (entry.TxnType, entry.Quantity, entry.ReasonCode));
        Assert.Equal(Now, stock.Balance("A")!.LastCountedAt);
    }

    [Fact]
    public void A_transfer_writes_two_entries_and_moves_only_available_stock()
    {
        var stock = With(Balance("A", 10, reserved: 4));
        Assert.Throws<InsufficientStockException>(() => stock.Transfer(new TransferRequest("T1", "A", "B", 7, "t"), Location("B"), Now));
        stock.Transfer(new TransferRequest("T1", "A", "B", 6, "t"), Location("B", LocationType.PickFace), Now);
        Assert.Equal([-6L, 6L], stock.NewEntries.Select(e => e.Quantity));
        Assert.All(stock.NewEntries, e => Assert.Equal(TxnType.Transfer, e.TxnType));
        Assert.Equal((4L, 6L), (stock.Balance("A")!.QuantityOnHand, stock.Balance("B")!.QuantityOnHand));
        Assert.Equal(LocationType.PickFace, stock.Balance("B")!.LocationType);
    }

    [Fact]
    public void A_receipt_creates_the_balance_and_a_replayed_reference_changes_nothing()
    {
        var stock = With();
        var first = stock.Receive(new ReceiveRequest("R1", "A", 12, "Receipt", "t"), Location("A"), Now);
        var again = stock.Receive(new ReceiveRequest("R1", "A", 12, "Receipt", "t"), Location("A"), Now);
        Assert.Same(first, again);
        Assert.Equal(12, stock.OnHand);
        Assert.Single(stock.NewEntries);
        Assert.Throws<ReferenceConflictException>(() => stock.Receive(new ReceiveRequest("R1", "A", 13, "Receipt", "t"), Location("A"), Now));
    }
}
