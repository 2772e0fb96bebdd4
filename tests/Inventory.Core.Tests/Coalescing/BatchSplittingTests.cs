using Inventory.Application.Stock;
using Inventory.Application.Orders;
using Inventory.Storage;

namespace Inventory.Core.Tests.Coalescing;

/// <summary>
/// A batch never asks the store for more than one transaction may carry: it is cut, in arrival order, where the next
/// request would pass the writes or bytes limit, and the rest follows in the next commit. Every request still succeeds.
/// Receipts write one document each (their operation record); new orders' reservations share a pack, so a batch of them
/// is cut by bytes.
/// </summary>
public class BatchSplittingTests
{
    private static Func<Task<ReserveResult>>[] Reservations(HotProduct p, int count) =>
        Enumerable.Range(0, count).Select(i => (Func<Task<ReserveResult>>)(() =>
            p.App.Reserve.ExecuteAsync(new ReserveCommand($"O{i:D2}", [new(HotProduct.Id, 1)])))).ToArray();

    private static Func<Task<MovementResult>>[] Receipts(HotProduct p, int count) =>
        Enumerable.Range(0, count).Select(i => (Func<Task<MovementResult>>)(() =>
            p.App.Receive.ExecuteAsync(new ReceiveCommand(HotProduct.Id, "L1", 1, $"R{i:D2}")))).ToArray();

    private static IEnumerable<IReadOnlyList<DocumentWrite>> BatchCommits(HotProduct p) =>
        p.Store.ProductCommits.Where(c => ReservationWrites.Reserves(c, "O"));

    private static IEnumerable<IReadOnlyList<DocumentWrite>> ReceiptCommits(HotProduct p) =>
        p.Store.ProductCommits.Where(c => c.Any(w => w.Id.StartsWith("op|receive|R", StringComparison.Ordinal)));

    [Fact]
    public async Task A_batch_is_cut_at_the_stores_writes_per_commit_and_keeps_arrival_order()
    {
        var p = await HotProduct.CreateAsync(maxWrites: 10);
        var results = await p.InOneBatchAsync(Receipts(p, 12));

        foreach (var r in results) await r;
        // Each receipt writes its operation record; the head (with the balances) and the commit's ledger pack are shared: 8, then 4.
        Assert.Equal([10, 6], ReceiptCommits(p).Select(c => c.Count));
        Assert.Equal(0, p.Store.Refusals);
        var receivedInLedgerOrder = (await p.Scenario.LedgerAsync(HotProduct.Id))
            .Where(e => e.ReferenceId.StartsWith('R')).OrderBy(e => e.Sequence).Select(e => e.ReferenceId);
        Assert.Equal(Enumerable.Range(0, 12).Select(i => $"R{i:D2}"), receivedInLedgerOrder);
        Assert.Equal(28, (await p.App.Stock.GetStockAsync(HotProduct.Id)).QuantityOnHand); // 16 before, 12 received
        await p.Scenario.AssertBooksBalanceAsync(HotProduct.Id);
    }

    [Fact]
    public async Task A_batch_is_cut_at_the_stores_bytes_per_commit()
    {
        const int maxBytes = 12_000;
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
        var results = await p.InOneBatchAsync(Receipts(p, 12));

        foreach (var r in results) await r;
        Assert.True(p.Store.Refusals > 0);
        Assert.All(ReceiptCommits(p), c => Assert.InRange(c.Count, 1, 9));
        Assert.Equal(28, (await p.App.Stock.GetStockAsync(HotProduct.Id)).QuantityOnHand); // 16 before, 12 received
        await p.Scenario.AssertBooksBalanceAsync(HotProduct.Id);
    }
}
