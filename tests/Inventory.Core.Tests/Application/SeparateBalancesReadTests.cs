using Inventory.Application;
using Inventory.Application.Orders;
using Inventory.Storage;
using Inventory.Testing;

namespace Inventory.Core.Tests.Application;

/// <summary>
/// A product whose balances are documents of their own (more locations than the head holds, or written before it held
/// them) is read by a fresh instance in two round trips. A commit landing between them must not pair its balances with
/// the reservations read before it (issue 14's torn reads): the second round trip rereads the head and, when it moved,
/// the whole read is made again.
/// </summary>
public class SeparateBalancesReadTests
{
    [Fact]
    public async Task A_commit_between_the_two_round_trips_makes_the_fresh_instance_read_again()
    {
        var memory = new InMemoryDocumentStore();
        var clock = new ManualClock(new DateTimeOffset(2026, 11, 30, 8, 0, 0, TimeSpan.Zero));
        var s = StockScenario.Over(memory, clock);
        await s.WarehouseAsync("W1");
        await s.ProductAsync("A");
        for (var i = 1; i <= StockLayout.MaxHeadBalances + 1; i++)
        {
            await s.LocationAsync("W1", $"L{i:D3}");
            await s.StockAsync("A", $"L{i:D3}", 2);
        }
        await s.App.Reserve.ExecuteAsync(new ReserveCommand("O1", [new("A", 2)]));
        var release = new ReservationChangeCommand("O1", null, "release-1");

        // A fresh instance releases O1; between its two round trips the first instance releases it (same request, retried elsewhere).
        var counting = new CountingStore(memory);
        var fresh = new InventoryApplication(counting, clock);
        var raced = false;
        counting.BeforeRead = async (collection, ids, prefixes) =>
        {
            if (raced || collection != Collection.Products || !prefixes.Contains(ProductPartitionIds.BalancePrefix) || ids.Count > 1) return;
            raced = true;
            await s.App.Release.ExecuteAsync(release);
        };
        var view = await fresh.Release.ExecuteAsync(release);

        Assert.True(raced);
        Assert.Equal(OrderReservationStatus.Released, view.Status);
        var stock = await s.App.Stock.GetStockAsync("A");
        Assert.Equal((2L * (StockLayout.MaxHeadBalances + 1), 0L), (stock.QuantityOnHand, stock.QuantityReserved));
        Assert.Equal(2, (await s.LedgerAsync("A")).Count(e => e.ReferenceId == "O1" || e.ReferenceId == "release-1"));
        await s.AssertBooksBalanceAsync("A");
    }
}
