using Inventory.Application;
using Inventory.Application.Orders;
using Inventory.Domain;
using Inventory.Storage;
using Inventory.Testing;

namespace Inventory.Core.Tests.Coalescing;

/// <summary>
/// A read that mixes two commits (on Table Storage, past the few rereads a multi-document read makes) can hand a decision
/// a state that breaks the stock's invariants: a reservation newer than the head its balances come from. The decision
/// then meets a balance going negative (<see cref="StockInvariantException"/>); the batch committer decides once more
/// from a fresh read instead of failing the request.
/// </summary>
public class BrokenInvariantTests
{
    private static async Task<(StockScenario S, CountingStore Store, StoredDocument OldHead)> ReservedWithOldHeadAsync()
    {
        var counting = new CountingStore(new InMemoryDocumentStore());
        var s = StockScenario.Over(counting, new ManualClock(new DateTimeOffset(2026, 11, 30, 8, 0, 0, TimeSpan.Zero)));
        await s.WarehouseAsync("W1");
        await s.LocationAsync("W1", "L1");
        await s.ProductAsync("A");
        await s.StockAsync("A", "L1", 10);
        var oldHead = Assert.Single(await counting.Inner.ReadAsync(Collection.Products, "A", [ProductPartitionIds.Head], []));
        await s.App.Reserve.ExecuteAsync(new ReserveCommand("O1", [new("A", 2)]));
        return (s, counting, oldHead);
    }

    /// <summary>The next <paramref name="times"/> reads that find O1's reservation get the head from before it was made.</summary>
    private static Func<int> TearReads(CountingStore store, StoredDocument oldHead, int times)
    {
        var torn = 0;
        store.AfterRead = (collection, docs) =>
        {
            if (collection != Collection.Products || !docs.Any(d => d.Id == ProductPartitionIds.Reservation("O1")
                    || (d.Id.StartsWith(ProductPartitionIds.PackPrefix, StringComparison.Ordinal) && ReservationWrites.Packed(d.Body).Any(r => r.OrderId == "O1"))))
                return docs;
            if (torn >= times) return docs;
            torn++;
            return docs.Select(d => d.Id == ProductPartitionIds.Head ? oldHead : d).ToArray();
        };
        return () => torn;
    }

    [Fact]
    public async Task A_release_decided_on_a_torn_read_is_decided_again_from_a_fresh_one()
    {
        var (s, store, oldHead) = await ReservedWithOldHeadAsync();
        var torn = TearReads(store, oldHead, times: 1);

        var view = await s.App.Release.ExecuteAsync(new ReservationChangeCommand("O1", null, "release-1"));

        Assert.Equal(1, torn());
        Assert.Equal(OrderReservationStatus.Released, view.Status);
        Assert.Equal(0, (await s.App.Stock.GetStockAsync("A")).QuantityReserved);
        await s.AssertBooksBalanceAsync("A");
    }

    [Fact]
    public async Task A_broken_invariant_met_again_on_the_fresh_read_reaches_the_caller_and_changes_nothing()
    {
        var (s, store, oldHead) = await ReservedWithOldHeadAsync();
        TearReads(store, oldHead, times: 100);

        await Assert.ThrowsAnyAsync<Exception>(() => s.App.Release.ExecuteAsync(new ReservationChangeCommand("O1", null, "release-1")));

        store.AfterRead = null;
        Assert.Equal(2, (await s.App.Stock.GetStockAsync("A")).QuantityReserved);
        await s.AssertBooksBalanceAsync("A");
    }
}
