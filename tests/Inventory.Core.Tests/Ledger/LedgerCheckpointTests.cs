using Inventory.Application;
using Inventory.Application.Orders;
using Inventory.Application.Stock;
using Inventory.Domain;
using Inventory.Storage;
using Inventory.Testing;

namespace Inventory.Core.Tests.Ledger;

/// <summary>Issue 17: a checkpoint of the balances is written in the same transaction as the entry that reaches every K-th.</summary>
public sealed class LedgerCheckpointTests
{
    private const int K = 10;

    private static async Task<(StockScenario Scenario, InMemoryDocumentStore Store, List<IReadOnlyList<DocumentWrite>> Commits)> SetUpAsync(int locations = 2)
    {
        var store = new InMemoryDocumentStore();
        var commits = new List<IReadOnlyList<DocumentWrite>>();
        store.AfterCommit = (collection, _, writes) => { if (collection == Collection.Products) lock (commits) commits.Add(writes); };
        var s = new StockScenario(new InventoryApplication(store, ledger: new LedgerOptions { CheckpointEvery = K }));
        await s.WarehouseAsync("W1");
        for (var i = 1; i <= locations; i++) await s.LocationAsync("W1", $"L{i}");
        await s.ProductAsync("A");
        return (s, store, commits);
    }

    private static async Task<List<LedgerCheckpoint>> CheckpointsAsync(InMemoryDocumentStore store, string productId)
    {
        var page = await store.QueryAsync(Collection.Products, productId, ProductPartitionIds.CheckpointPrefix, 1000, null);
        var all = page.Documents.Select(d => DocumentJson.Read<LedgerCheckpoint>(d.Body)).ToList();
        while (page.ContinuationToken is { } token)
        {
            page = await store.QueryAsync(Collection.Products, productId, ProductPartitionIds.CheckpointPrefix, 1000, token);
            all.AddRange(page.Documents.Select(d => DocumentJson.Read<LedgerCheckpoint>(d.Body)));
        }
        return all;
    }

    /// <summary>Balances per location after each sequence, replayed from the ledger's after-values.</summary>
    private static Dictionary<string, (long OnHand, long Reserved)> BalancesAfter(IEnumerable<LedgerEntry> ledger, long sequence) =>
        ledger.Where(e => e.Sequence <= sequence).OrderBy(e => e.Sequence).GroupBy(e => e.LocationId)
            .ToDictionary(g => g.Key, g => (g.Last().OnHandAfter, g.Last().ReservedAfter));

    [Fact]
    public async Task Every_Kth_entry_commits_a_checkpoint_of_the_balances_after_it_in_the_same_transaction()
    {
        var (s, store, commits) = await SetUpAsync();
        for (var i = 0; i < 25; i++) await s.StockAsync("A", i % 2 == 0 ? "L1" : "L2", i + 1);

        var checkpoints = await CheckpointsAsync(store, "A");
        Assert.Equal([20L, 10L], checkpoints.Select(c => c.Sequence)); // newest first, like the ledger
        var ledger = await s.LedgerAsync("A");
        foreach (var c in checkpoints)
        {
            Assert.Equal(BalancesAfter(ledger, c.Sequence), c.Balances.ToDictionary(b => b.LocationId, b => (b.QuantityOnHand, b.QuantityReserved)));
            var commit = Assert.Single(commits, w => w.Any(x => x.Id == ProductPartitionIds.Checkpoint(c.Sequence)));
            Assert.Contains(commit, w => w is DocumentWrite.Create && w.Id == ProductPartitionIds.Ledger(c.Sequence));
            Assert.Equal(ledger.Single(e => e.Sequence == c.Sequence).CreatedAt, c.CreatedAt);
        }
        Assert.Equal(2, commits.Count(w => w.Any(x => x.Id.StartsWith(ProductPartitionIds.CheckpointPrefix, StringComparison.Ordinal))));
    }

    [Fact]
    public async Task A_commit_that_passes_a_multiple_records_the_balances_after_its_last_entry()
    {
        var (s, store, _) = await SetUpAsync();
        for (var i = 0; i < 9; i++) await s.StockAsync("A", "L1", 10); // sequence 9
        await s.App.Transfer.ExecuteAsync(new TransferCommand("A", "L1", "L2", 30, "t-1")); // entries 10 and 11, one commit

        var c = Assert.Single(await CheckpointsAsync(store, "A"));
        Assert.Equal(11, c.Sequence);
        Assert.Equal([new CheckpointBalance("L1", 60, 0), new CheckpointBalance("L2", 30, 0)], c.Balances);
    }

    [Fact]
    public async Task A_replay_or_a_refusal_writes_no_checkpoint()
    {
        var (s, store, _) = await SetUpAsync();
        for (var i = 0; i < 9; i++) await s.StockAsync("A", "L1", 1);
        await Assert.ThrowsAsync<StockWouldGoNegativeException>(() => s.App.Adjust.ExecuteAsync(new AdjustCommand("A", "L1", -100, null, "damage", "adj-1")));
        Assert.Empty(await CheckpointsAsync(store, "A"));
        await s.App.Receive.ExecuteAsync(new ReceiveCommand("A", "L1", 1, "r-10"));
        await s.App.Receive.ExecuteAsync(new ReceiveCommand("A", "L1", 1, "r-10")); // replay: nothing committed
        Assert.Equal(10, Assert.Single(await CheckpointsAsync(store, "A")).Sequence);
    }

    [Fact]
    public async Task A_reservation_of_48_locations_still_fits_one_transaction_with_its_checkpoint()
    {
        var (s, store, commits) = await SetUpAsync(locations: 48);
        for (var i = 1; i <= 48; i++) await s.StockAsync("A", $"L{i}", 1); // sequence 48
        var lines = new[] { new OrderLine("A", 48) };
        await s.App.Reserve.ExecuteAsync(new ReserveCommand("o-48", lines, Policy: ReservationPolicy.AllOrNothing));

        Assert.Equal(96, (await CheckpointsAsync(store, "A"))[0].Sequence);
        var commit = Assert.Single(commits, w => w.Any(x => x.Id == ProductPartitionIds.Checkpoint(96)));
        Assert.Equal(1 + 48 + 1 + 1 + 1, commit.Count); // head, 48 balances (too many for the head), the reservation, its 48 entries in one pack and the checkpoint
        await s.AssertBooksBalanceAsync("A");
    }
}
