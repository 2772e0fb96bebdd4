using Inventory.Testing;
using Inventory.Application;
using Inventory.Application.Orders;
using Inventory.Application.Stock;
using Inventory.Domain;
using Inventory.Storage;

namespace Inventory.Core.Tests.Coalescing;

/// <summary>
/// When the one commit of a batch fails, no request is lost silently: a lost race reloads and decides the whole batch
/// again; any other failure reaches every caller of the batch as its own error, nothing is written, and a retry works.
/// </summary>
public class SharedCommitFailureTests
{
    private sealed class StoreDown() : Exception("store unreachable");

    private static Func<Task<ReserveResult>>[] Reservations(HotProduct p, int count, long quantity = 1) =>
        Enumerable.Range(0, count).Select(i => (Func<Task<ReserveResult>>)(() =>
            p.App.Reserve.ExecuteAsync(new ReserveCommand($"O{i}", [new(HotProduct.Id, quantity)])))).ToArray();

    private static bool IsBatch(IReadOnlyList<DocumentWrite> writes) => ReservationWrites.Reserves(writes, "O");

    [Fact]
    public async Task A_failed_shared_commit_fails_every_request_of_it_with_its_own_error_and_writes_nothing()
    {
        var p = await HotProduct.CreateAsync();
        p.Memory.BeforeCommit = (c, _, w) => { if (c == Collection.Products && IsBatch(w)) throw new StoreDown(); };
        var results = await p.InOneBatchAsync(Reservations(p, 3));

        var errors = new List<SharedCommitFailedException>();
        foreach (var r in results) errors.Add(await Assert.ThrowsAsync<SharedCommitFailedException>(() => r));
        Assert.All(errors, e => Assert.IsType<StoreDown>(e.InnerException));
        Assert.All(errors, e => Assert.Equal(3, e.Requests));
        Assert.Equal(3, errors.Distinct().Count());
        Assert.Equal(0, (await p.App.Stock.GetStockAsync(HotProduct.Id)).QuantityReserved);

        p.Memory.BeforeCommit = null;
        foreach (var retry in Reservations(p, 3)) Assert.Equal(1, (await retry()).Reservation.Lines[0].Reserved);
        Assert.Equal(3, (await p.App.Stock.GetStockAsync(HotProduct.Id)).QuantityReserved);
        await p.Scenario.AssertBooksBalanceAsync(HotProduct.Id);
    }

    [Fact]
    public async Task A_lone_request_gets_the_stores_error_as_thrown()
    {
        var p = await HotProduct.CreateAsync();
        p.Memory.BeforeCommit = (c, _, _) => { if (c == Collection.Products) throw new StoreDown(); };
        await Assert.ThrowsAsync<StoreDown>(() => p.App.Adjust.ExecuteAsync(new AdjustCommand(HotProduct.Id, "L1", 1, null, "found", "A1")));
    }

    [Fact]
    public async Task A_batch_that_loses_a_race_to_another_instance_is_reloaded_and_decided_again_whole()
    {
        var p = await HotProduct.CreateAsync();
        var other = new InventoryApplication(p.Store, null, new ConcurrencyOptions());
        // 15 units: three orders of 6 leave the third short, unless the other instance's receipt lands first.
        var raced = false;
        p.Memory.BeforeCommit = (c, _, w) =>
        {
            if (c != Collection.Products || !IsBatch(w) || raced) return;
            raced = true; // the store's lock is re-entrant and in-memory calls complete at once: this commit lands first
#pragma warning disable xUnit1031 // completes synchronously on the in-memory store; the hook has to be synchronous
            other.Receive.ExecuteAsync(new ReceiveCommand(HotProduct.Id, "L2", 10, "other-instance")).GetAwaiter().GetResult();
#pragma warning restore xUnit1031
        };
        var conflictsBefore = p.App.Statistics.Conflicts;
        var results = await p.InOneBatchAsync(Reservations(p, 3, quantity: 6));

        Assert.True(raced);
        Assert.Equal(1, p.App.Statistics.Conflicts - conflictsBefore);
        foreach (var r in results) Assert.Equal(6, (await r).Reservation.Lines[0].Reserved);
        Assert.Equal(18, (await p.App.Stock.GetStockAsync(HotProduct.Id)).QuantityReserved);
        await p.Scenario.AssertBooksBalanceAsync(HotProduct.Id);
    }
}
