using Inventory.Application.Orders;
using Inventory.Storage;

namespace Inventory.Core.Tests.Coalescing;

/// <summary>
/// A batch never asks the store for more than one transaction may carry: it is cut, in arrival order, where the next
/// request would pass the writes or bytes limit, and the rest follows in the next commit. Every request still succeeds.
/// </summary>
public class BatchSplittingTests
{
    private static Func<Task<ReserveResult>>[] Reservations(HotProduct p, int count) =>
        Enumerable.Range(0, count).Select(i => (Func<Task<ReserveResult>>)(() =>
            p.App.Reserve.ExecuteAsync(new ReserveCommand($"O{i:D2}", [new(HotProduct.Id, 1)])))).ToArray();

    private static IEnumerable<IReadOnlyList<DocumentWrite>> BatchCommits(HotProduct p) =>
        p.Store.ProductCommits.Where(c => c.Any(w => w.Id.StartsWith("res|O", StringComparison.Ordinal)));

    [Fact]
    public async Task A_batch_is_cut_at_the_stores_writes_per_commit_and_keeps_arrival_order()
    {
        var p = await HotProduct.CreateAsync(maxWrites: 10);
        var results = await p.InOneBatchAsync(Reservations(p, 12));

        foreach (var r in results) Assert.Equal(1, (await r).Reservation.Lines[0].Reserved);
        // Each reservation writes its reservation; the head (with the balances) and the commit's ledger pack are shared: 8, then 4.
        Assert.Equal([10, 6], BatchCommits(p).Select(c => c.Count));
        Assert.Equal(0, p.Store.Refusals);
        var reservedInLedgerOrder = (await p.Scenario.LedgerAsync(HotProduct.Id))
            .Where(e => e.ReferenceId.StartsWith('O')).OrderBy(e => e.Sequence).Select(e => e.ReferenceId);
        Assert.Equal(Enumerable.Range(0, 12).Select(i => $"O{i:D2}"), reservedInLedgerOrder);
        await p.Scenario.AssertBooksBalanceAsync(HotProduct.Id);
    }

    [Fact]
    public async Task A_batch_is_cut_at_the_stores_bytes_per_commit()
    {
        const int maxBytes = 24_000;
        var p = await HotProduct.CreateAsync(limits: new StoreLimits(100, maxBytes, 64 * 1024, "small store"));
        var results = await p.InOneBatchAsync(Reservations(p, 12));

        foreach (var r in results) Assert.Equal(1, (await r).Reservation.Lines[0].Reserved);
        var commits = BatchCommits(p).ToArray();
        Assert.True(commits.Length > 1, "the batch should not fit in one commit of this store");
        Assert.All(commits, c => Assert.InRange(GatedStore.Bytes(c), 1, maxBytes));
        Assert.Equal(0, p.Store.Refusals); // cut before asking, not after a refusal
        await p.Scenario.AssertBooksBalanceAsync(HotProduct.Id);
    }

    [Fact]
    public async Task A_commit_the_store_still_refuses_as_too_large_is_halved_until_it_fits()
    {
        var p = await HotProduct.CreateAsync();
        p.Store.RefuseAbove = 9; // the store announces 100 writes but takes 9
        var results = await p.InOneBatchAsync(Reservations(p, 12));

        foreach (var r in results) Assert.Equal(1, (await r).Reservation.Lines[0].Reserved);
        Assert.True(p.Store.Refusals > 0);
        Assert.All(BatchCommits(p), c => Assert.InRange(c.Count, 1, 9));
        Assert.Equal(12, (await p.App.Stock.GetStockAsync(HotProduct.Id)).QuantityReserved);
        await p.Scenario.AssertBooksBalanceAsync(HotProduct.Id);
    }
}
