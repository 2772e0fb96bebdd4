using Inventory.Application;
using Inventory.Application.Orders;
using Inventory.Application.Stock;
using Inventory.Domain;
using Inventory.Storage;
using Inventory.Testing;

namespace Inventory.Core.Tests.Ledger;

/// <summary>
/// Issue 17: the audit starts at the latest checkpoint and reads O(K) entries; the full audit walks checkpoint to
/// checkpoint, paged, and finds what the quick one cannot see.
/// </summary>
public sealed class LedgerAuditTests
{
    private static async Task<(StockScenario Scenario, InMemoryDocumentStore Store, CountingStore Counting)> SetUpAsync(int every, int entries)
    {
        var store = new InMemoryDocumentStore();
        var counting = new CountingStore(store);
        var s = new StockScenario(new InventoryApplication(counting, ledger: new LedgerOptions { CheckpointEvery = every }));
        await s.WarehouseAsync("W1");
        await s.LocationAsync("W1", "L1");
        await s.LocationAsync("W1", "L2");
        await s.ProductAsync("A");
        await s.StockAsync("A", "L1", 1_000_000);
        for (var i = 1; i < entries; i++)
        {
            if (i % 3 == 0) await s.App.Transfer.ExecuteAsync(new TransferCommand("A", "L1", "L2", 2, $"t-{i}"));
            else await s.App.Adjust.ExecuteAsync(new AdjustCommand("A", i % 2 == 0 ? "L1" : "L2", i % 2 == 0 ? -1 : 1, null, "count", $"a-{i}"));
        }
        return (s, store, counting);
    }

    /// <summary>Rewrites a stored document behind the service's back, as corruption or tampering would.</summary>
    private static async Task TamperAsync<T>(InMemoryDocumentStore store, string id, Func<T, T> change)
    {
        var doc = (await store.ReadAsync(Collection.Products, "A", [id], [])).Single();
        await store.CommitAsync(Collection.Products, "A", [new DocumentWrite.Replace(id, DocumentJson.Write(change(DocumentJson.Read<T>(doc.Body))!), doc.ETag)]);
    }

    private static async Task<List<InvariantReport>> FullAuditAsync(InventoryApplication app)
    {
        var pages = new List<InvariantReport>();
        string? token = null;
        do
        {
            var page = await app.Invariants.CheckFullAsync("A", token);
            pages.Add(page);
            token = page.ContinuationToken;
        } while (token is not null && pages.Count < 1000);
        return pages;
    }

    [Fact]
    public async Task A_product_with_thousands_of_entries_is_audited_reading_K_and_a_few_documents()
    {
        const int K = 100;
        var (s, _, counting) = await SetUpAsync(K, 3000);
        var head = (await s.LedgerAsync("A"))[0].Sequence;
        Assert.True(head > 3000, $"head at {head}");

        counting.Reset();
        var report = await s.App.Invariants.CheckAsync("A");

        Assert.True(report.Holds, string.Join("\n", report.Violations));
        Assert.InRange(report.CheckpointSequence ?? -1, head - head % K, head - head % K + 1); // the latest: the commit that reached a multiple
        Assert.InRange(report.LedgerEntries, 0, K + 1);
        // product, the newest ledger document (its state holds the two balances), the checkpoint, and the ledger documents
        // after it (one an entry: a transfer writes its first entry alone, its second with the state): never the 3,000 before
        Assert.InRange(counting.DocumentsRead, report.LedgerEntries * 3 / 4 + 3, K + 4);
    }

    [Fact]
    public async Task The_full_audit_pages_checkpoint_to_checkpoint_down_to_the_first_entry()
    {
        var (s, _, counting) = await SetUpAsync(100, 3000);
        var head = (await s.LedgerAsync("A"))[0].Sequence;
        counting.Reset();

        var pages = await FullAuditAsync(s.App);

        Assert.All(pages, p => Assert.True(p.Holds, string.Join("\n", p.Violations)));
        Assert.True(pages.Count >= 3, $"{pages.Count} pages");
        Assert.All(pages, p => Assert.InRange(p.LedgerEntries, 0, InvariantChecker.FullAuditPageEntries + 102));
        Assert.Equal(head, pages.Sum(p => p.LedgerEntries)); // every entry read exactly once
        Assert.Equal(0, pages[^1].VerifiedDownTo);
        Assert.Null(pages[^1].ContinuationToken);
        Assert.InRange(counting.DocumentsRead, head * 3 / 4, head + head / 100 * 3 + 50); // about one document an entry (a transfer's two: two documents)
    }

    [Fact]
    public async Task A_tampered_entry_before_the_latest_checkpoint_is_found_by_the_full_audit()
    {
        var (s, store, _) = await SetUpAsync(10, 35);
        await HotLedger.TamperAsync(store, "A", 5, e => e with { OnHandDelta = e.OnHandDelta + 1, OnHandAfter = e.OnHandAfter + 1 });

        var quick = await s.App.Invariants.CheckAsync("A");
        Assert.True(quick.Holds, string.Join("\n", quick.Violations)); // below the latest checkpoint: out of its sight
        var full = await FullAuditAsync(s.App);
        var findings = full.SelectMany(p => p.Violations).ToArray();
        Assert.NotEmpty(findings);
        Assert.Contains(findings, f => f.Contains("checkpoint 10", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_tampered_entry_after_the_latest_checkpoint_is_found_by_the_quick_audit()
    {
        var (s, store, _) = await SetUpAsync(10, 35);
        var report = await s.App.Invariants.CheckAsync("A");
        Assert.True(report.Holds);
        await HotLedger.TamperAsync(store, "A", report.CheckpointSequence!.Value + 2, e => e with { ReservedDelta = e.ReservedDelta + 3 });

        var quick = await s.App.Invariants.CheckAsync("A");
        Assert.False(quick.Holds);
        Assert.Contains(quick.Violations, v => v.StartsWith($"entry {report.CheckpointSequence + 2} ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_deleted_entry_after_the_checkpoint_is_a_gap_and_a_tampered_checkpoint_fails_both_segments_it_bounds()
    {
        var (s, store, _) = await SetUpAsync(10, 35);
        var head = (await s.LedgerAsync("A"))[0].Sequence;
        var before = await s.App.Invariants.CheckAsync("A");
        Assert.True(before.Holds);
        Assert.InRange(head - 1, before.CheckpointSequence!.Value + 1, head - 1);
        // The entry below the newest: the newest ledger document carries the product's state, so deleting it would take the
        // last commit away whole (the state before it read again), no gap; any entry below it leaves one.
        var doc = (await store.ReadAsync(Collection.Products, "A", [ProductPartitionIds.Ledger(head - 1)], [])).Single();
        await store.CommitAsync(Collection.Products, "A", [new DocumentWrite.Delete(doc.Id, doc.ETag)]);
        Assert.Contains((await s.App.Invariants.CheckAsync("A")).Violations, v => v.Contains("gaps", StringComparison.Ordinal));

        var (s2, store2, _) = await SetUpAsync(10, 35);
        store2.ShortPages = false; // a whole page for this read (the store's pages run full, half, empty by turns)
        var checkpoints = (await store2.QueryAsync(Collection.Products, "A", ProductPartitionIds.CheckpointPrefix, 100, null)).Documents;
        store2.ShortPages = true;
        Assert.True(checkpoints.Count >= 3, $"{checkpoints.Count} checkpoints");
        var second = DocumentJson.Read<LedgerCheckpoint>(checkpoints.Last(d => true).Body).Sequence; // the oldest in the page
        await TamperAsync<LedgerCheckpoint>(store2, ProductPartitionIds.Checkpoint(second),
            c => c with { Balances = c.Balances.Select(b => b with { QuantityOnHand = b.QuantityOnHand + 7 }).ToArray() });
        Assert.True((await s2.App.Invariants.CheckAsync("A")).Holds);
        var findings = (await FullAuditAsync(s2.App)).SelectMany(p => p.Violations).ToArray();
        Assert.Contains(findings, f => f.Contains($"at checkpoint {second} but", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_product_with_no_checkpoint_yet_audits_its_whole_ledger_as_before()
    {
        var (s, store, _) = await SetUpAsync(100, 30);
        var report = await s.App.Invariants.CheckAsync("A");
        Assert.True(report.Holds, string.Join("\n", report.Violations));
        Assert.Null(report.CheckpointSequence);
        Assert.Equal((await s.LedgerAsync("A")).Count, report.LedgerEntries);
        var full = await s.App.Invariants.CheckFullAsync("A");
        Assert.True(full.Holds);
        Assert.Null(full.ContinuationToken);

        await HotLedger.TamperAsync(store, "A", 1, e => e with { OnHandDelta = 5 }); // its document also carries the state after its commit: kept
        Assert.False((await s.App.Invariants.CheckAsync("A")).Holds);
    }

    [Fact]
    public async Task Coalesced_reservations_across_checkpoints_keep_every_segment_balanced()
    {
        var store = new InMemoryDocumentStore();
        var s = new StockScenario(new InventoryApplication(store, ledger: new LedgerOptions { CheckpointEvery = 10 }));
        await s.WarehouseAsync("W1");
        await s.LocationAsync("W1", "L1");
        await s.LocationAsync("W1", "L2");
        await s.ProductAsync("A");
        await s.StockAsync("A", "L1", 150);
        await s.StockAsync("A", "L2", 150);
        await Task.WhenAll(Enumerable.Range(0, 120).Select(i => Task.Run(() =>
            s.App.Reserve.ExecuteAsync(new ReserveCommand($"o-{i}", [new OrderLine("A", 2)], Policy: ReservationPolicy.Partial)))));

        await s.AssertBooksBalanceAsync("A");
        var pages = await FullAuditAsync(s.App);
        Assert.All(pages, p => Assert.True(p.Holds, string.Join("\n", p.Violations)));
        Assert.NotNull(pages[0].CheckpointSequence);
    }

    [Fact]
    public async Task A_token_that_is_not_ours_is_a_validation_error()
    {
        var (s, _, _) = await SetUpAsync(10, 12);
        var e = await Assert.ThrowsAsync<ValidationException>(() => s.App.Invariants.CheckFullAsync("A", "{\"Upper\":0}"));
        Assert.Equal("continuationToken", Assert.Single(e.Errors).Field);
        await Assert.ThrowsAsync<ValidationException>(() => s.App.Invariants.CheckFullAsync("A", "not json"));
        await Assert.ThrowsAsync<ProductNotFoundException>(() => s.App.Invariants.CheckFullAsync("Z"));
    }
}
