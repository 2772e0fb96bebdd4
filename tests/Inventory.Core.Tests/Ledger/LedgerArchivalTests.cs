using Inventory.Application;
using Inventory.Application.Stock;
using Inventory.Domain;
using Inventory.Storage;
using Inventory.Testing;

namespace Inventory.Core.Tests.Ledger;

/// <summary>
/// Issue 17: entries older than the retention window are moved, not deleted: written to the archive per product and
/// month, then removed from the hot store. The ledger route reads through to the archive, the audits still hold, and a
/// crash anywhere (the archive write refused, its acknowledgement lost, any delete on either side) leaves no gap and
/// no duplicate; a rerun finishes the move.
/// </summary>
public sealed class LedgerArchivalTests
{
    private const int Every = 10;
    private static readonly DateTimeOffset Start = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);
    /// <summary>Retention 30 days on 10 April: January and February are archived, March is not.</summary>
    private static readonly DateTimeOffset ArchiveDay = new(2026, 4, 10, 3, 30, 0, TimeSpan.Zero);

    private sealed record World(InMemoryDocumentStore Memory, FaultyStore Store, InMemoryLedgerArchive Archive, ManualClock Clock, InventoryApplication App)
    {
        public InventoryApplication Fresh() => NewApp(Store, Archive, Clock);
    }

    private static InventoryApplication NewApp(IDocumentStore store, ILedgerArchive archive, TimeProvider clock) =>
        new(store, clock, ledger: new LedgerOptions { CheckpointEvery = Every, ArchiveAfterDays = 30 }, archive: archive);

    /// <summary>Product A moved every few days from January to April: about 280 entries over four months.</summary>
    private static async Task<World> BuildAsync()
    {
        var memory = new InMemoryDocumentStore();
        var store = new FaultyStore(memory);
        var archive = new InMemoryLedgerArchive();
        var clock = new ManualClock(Start);
        var app = NewApp(store, archive, clock);
        var s = new StockScenario(app);
        await s.WarehouseAsync("W1");
        await s.LocationAsync("W1", "L1");
        await s.LocationAsync("W1", "L2");
        await s.ProductAsync("A");
        await s.ProductAsync("B");
        await app.Receive.ExecuteAsync(new ReceiveCommand("A", "L1", 100_000, "opening")); // the same ids in every world
        for (var i = 1; clock.GetUtcNow() < ArchiveDay - TimeSpan.FromDays(2); i++)
        {
            if (i % 3 == 0) await app.Transfer.ExecuteAsync(new TransferCommand("A", "L1", "L2", 2, $"t-{i}"));
            else await app.Adjust.ExecuteAsync(new AdjustCommand("A", i % 2 == 0 ? "L1" : "L2", i % 2 == 0 ? -1 : 1, null, "count", $"a-{i}"));
            clock.Advance(TimeSpan.FromHours(9));
        }
        clock.Advance(ArchiveDay - clock.GetUtcNow());
        return new(memory, store, archive, clock, app);
    }

    private static async Task<IReadOnlyList<LedgerEntry>> LedgerAsync(InventoryApplication app, int pageSize)
    {
        var entries = new List<LedgerEntry>();
        string? token = null;
        do
        {
            var page = await app.Stock.GetLedgerAsync("A", pageSize, token);
            Assert.InRange(page.Entries.Count, 0, pageSize);
            entries.AddRange(page.Entries);
            token = page.ContinuationToken;
        } while (token is not null);
        return entries;
    }

    private static string Lines(IEnumerable<LedgerEntry> entries) => string.Join("\n", entries.Select(DocumentJson.Write));

    private static async Task<List<StoredDocument>> HotAsync(InMemoryDocumentStore store, string prefix)
    {
        var docs = new List<StoredDocument>();
        string? token = null;
        do
        {
            var page = await store.QueryAsync(Collection.Products, "A", prefix, 1000, token);
            docs.AddRange(page.Documents);
            token = page.ContinuationToken;
        } while (token is not null);
        return docs;
    }

    /// <summary>Everything of product A that archival may touch: its hot documents and its archive, byte for byte.</summary>
    private static async Task<string> StateAsync(World w)
    {
        var hot = (await HotAsync(w.Memory, "")).Select(d => $"{d.Id}={d.Body}");
        var parts = new List<string>();
        foreach (var part in await w.Archive.ListAsync("A"))
            parts.Add(part.Name + "=" + Lines(await new ArchivedLedger(w.Archive).ReadPartAsync(part, default)));
        return string.Join("\n", hot.Concat(parts));
    }

    [Fact]
    public async Task Months_past_the_window_move_to_the_archive_and_the_ledger_reads_exactly_as_before()
    {
        var w = await BuildAsync();
        var before = await LedgerAsync(w.App, 100);
        var head = before[0].Sequence;
        var checkpoints = (await HotAsync(w.Memory, ProductPartitionIds.CheckpointPrefix)).Count;

        var run = await w.App.LedgerArchival.ExecuteAsync();

        Assert.True(run.Enabled);
        Assert.Equal((2L, 2, 0L), (run.Products, run.PartsWritten, run.Errors));
        var parts = await w.Archive.ListAsync("A");
        Assert.Equal(["2026-01", "2026-02"], parts.Select(p => p.Month));
        Assert.Equal(1, parts[0].FirstSequence);
        Assert.Equal(parts[0].LastSequence + 1, parts[1].FirstSequence);
        Assert.Equal(0, parts[1].LastSequence % Every); // a part ends on a checkpoint
        Assert.Empty(await w.Archive.ListAsync("B")); // no history, nothing to move
        var archived = parts[1].LastSequence;
        Assert.Equal(archived, run.EntriesMoved);
        // February's last checkpoint closed before March: it is in February, the next one in March (or later).
        var lastArchivedCheckpoint = DocumentJson.Read<LedgerCheckpoint>((await w.Memory.ReadAsync(Collection.Products, "A", [ProductPartitionIds.Checkpoint(archived)], [])).Single().Body);
        Assert.Equal("2026-02", LedgerArchival.MonthOf(lastArchivedCheckpoint.CreatedAt));

        var hot = await HotLedger.EntriesAsync(w.Memory, "A");
        Assert.Equal(head - archived, hot.Count);
        Assert.All(hot, e => Assert.True(e.Sequence > archived));
        Assert.All(hot, e => Assert.True(e.CreatedAt >= new DateTimeOffset(2026, 2, 20, 0, 0, 0, TimeSpan.Zero)));
        Assert.Equal(checkpoints, (await HotAsync(w.Memory, ProductPartitionIds.CheckpointPrefix)).Count); // every checkpoint stays hot

        foreach (var size in new[] { 100, 7, 1000 })
            Assert.Equal(Lines(before), Lines(await LedgerAsync(w.App, size)));

        var audit = await w.App.Invariants.CheckAsync("A");
        Assert.True(audit.Holds, string.Join("\n", audit.Violations));
        long fromArchive = 0;
        string? token = null;
        InvariantReport page;
        do
        {
            page = await w.App.Invariants.CheckFullAsync("A", token);
            Assert.True(page.Holds, string.Join("\n", page.Violations));
            fromArchive += page.ArchivedEntries;
            token = page.ContinuationToken;
        } while (token is not null);
        Assert.Equal(0, page.VerifiedDownTo);
        Assert.Equal(archived, fromArchive); // the full audit verified the archived entries from the archive

        var again = await w.Fresh().LedgerArchival.ExecuteAsync();
        Assert.Equal((0, 0L, 0L), (again.PartsWritten, again.EntriesMoved, again.LeftoversRemoved));
    }

    [Fact]
    public async Task Nothing_moves_while_archival_is_off_or_the_window_has_not_passed()
    {
        var w = await BuildAsync();
        var off = new InventoryApplication(w.Store, w.Clock, ledger: new LedgerOptions { CheckpointEvery = Every }, archive: w.Archive);
        Assert.False((await off.LedgerArchival.ExecuteAsync()).Enabled);
        var longWindow = new InventoryApplication(w.Store, w.Clock, ledger: new LedgerOptions { CheckpointEvery = Every, ArchiveAfterDays = 200 }, archive: w.Archive);
        Assert.Equal(0, (await longWindow.LedgerArchival.ExecuteAsync()).PartsWritten);
        Assert.Empty(w.Archive.Names);
    }

    [Fact]
    public async Task An_archive_write_that_fails_or_loses_its_answer_deletes_nothing_and_a_rerun_finishes()
    {
        var clean = await BuildAsync();
        await clean.App.LedgerArchival.ExecuteAsync();
        var expected = await StateAsync(clean);

        foreach (var lose in new[] { false, true })
        {
            var w = await BuildAsync();
            var before = Lines(await LedgerAsync(w.App, 100));
            var hotBefore = (await HotAsync(w.Memory, ProductPartitionIds.LedgerPrefix)).Count;
            w.Archive.FailWrites = !lose;
            w.Archive.LoseAcknowledgement = lose;

            var run = await w.App.LedgerArchival.ExecuteAsync();

            Assert.Equal(1, run.Errors);
            Assert.Equal(hotBefore, (await HotAsync(w.Memory, ProductPartitionIds.LedgerPrefix)).Count); // nothing deleted without a confirmed part
            Assert.Equal(before, Lines(await LedgerAsync(w.Fresh(), 100)));
            w.Archive.FailWrites = w.Archive.LoseAcknowledgement = false;
            await w.Fresh().LedgerArchival.ExecuteAsync();
            Assert.Equal(expected, await StateAsync(w));
            Assert.Equal(before, Lines(await LedgerAsync(w.Fresh(), 100)));
        }
    }

    [Fact]
    public async Task A_crash_at_any_delete_on_either_side_leaves_no_gap_nor_duplicate_and_a_rerun_finishes()
    {
        var clean = await BuildAsync();
        clean.Store.Arm();
        await clean.App.LedgerArchival.ExecuteAsync();
        var commits = clean.Store.Commits;
        Assert.True(commits >= 2, $"{commits} commits"); // two months' deletes, chunks of at most 100
        var expected = await StateAsync(clean);

        foreach (var side in new[] { FaultSide.BeforeApplying, FaultSide.LostAcknowledgement })
            for (var at = 1; at <= commits; at++)
            {
                var w = await BuildAsync();
                var before = Lines(await LedgerAsync(w.App, 100));
                w.Store.Arm(at, side);
                await Assert.ThrowsAsync<StoreFaultException>(() => w.App.LedgerArchival.ArchiveAsync("A"));

                // In between: whatever is hot and archived, the ledger reads whole, once, and both audits hold.
                var app = w.Fresh();
                Assert.Equal(before, Lines(await LedgerAsync(app, 100)));
                Assert.Equal(before, Lines(await LedgerAsync(app, 33)));
                Assert.True((await app.Invariants.CheckAsync("A")).Holds);

                await app.LedgerArchival.ExecuteAsync();
                Assert.True(expected == await StateAsync(w), $"crash at commit {at} ({side}) did not end like a clean run");
                Assert.Equal(before, Lines(await LedgerAsync(w.Fresh(), 100)));
            }
    }

    [Fact]
    public async Task Two_runs_at_once_end_like_one()
    {
        var clean = await BuildAsync();
        await clean.App.LedgerArchival.ExecuteAsync();
        var expected = await StateAsync(clean);

        var w = await BuildAsync();
        var before = Lines(await LedgerAsync(w.App, 100));
        var runs = await Task.WhenAll(w.App.LedgerArchival.ArchiveAsync("A"), w.Fresh().LedgerArchival.ArchiveAsync("A"));

        Assert.All(runs, r => Assert.Null(r.Problem));
        Assert.Equal(expected, await StateAsync(w));
        Assert.Equal(before, Lines(await LedgerAsync(w.Fresh(), 100)));
    }

    [Fact]
    public async Task A_client_paging_through_the_ledger_while_entries_move_sees_each_entry_once()
    {
        var w = await BuildAsync();
        var before = await LedgerAsync(w.App, 100);
        var read = new List<LedgerEntry>();
        var page = await w.App.Stock.GetLedgerAsync("A", 40);
        read.AddRange(page.Entries);
        page = await w.App.Stock.GetLedgerAsync("A", 40, page.ContinuationToken);
        read.AddRange(page.Entries);

        await w.App.LedgerArchival.ExecuteAsync();

        for (var token = page.ContinuationToken; token is not null; token = page.ContinuationToken)
        {
            page = await w.App.Stock.GetLedgerAsync("A", 40, token);
            read.AddRange(page.Entries);
        }
        Assert.Equal(Lines(before), Lines(read));
    }

    [Fact]
    public async Task A_gap_in_the_hot_ledger_is_never_archived_over()
    {
        var w = await BuildAsync();
        var victim = await HotLedger.HoldingAsync(w.Memory, "A", 5);
        await w.Memory.CommitAsync(Collection.Products, "A", [new DocumentWrite.Delete(victim.Id, victim.ETag)]);
        var hotBefore = (await HotAsync(w.Memory, ProductPartitionIds.LedgerPrefix)).Count;

        var result = await w.App.LedgerArchival.ArchiveAsync("A");

        Assert.Contains("missing from the hot ledger", result.Problem, StringComparison.Ordinal);
        Assert.Empty(w.Archive.Names);
        Assert.Equal(hotBefore, (await HotAsync(w.Memory, ProductPartitionIds.LedgerPrefix)).Count);
        var full = await w.App.Invariants.CheckFullAsync("A");
        for (var token = full.ContinuationToken; token is not null && full.Holds; token = full.ContinuationToken)
            full = await w.App.Invariants.CheckFullAsync("A", token);
        Assert.False(full.Holds); // and the full audit names it
    }

    [Fact]
    public void A_part_is_gzip_json_lines_named_by_product_month_and_sequences()
    {
        var part = new LedgerArchivePart("sku-1.a", "2026-02", 11, 20);
        Assert.Equal("sku-1.a/2026-02/0000000000000000011-0000000000000000020.jsonl.gz", part.Name);
        Assert.Equal(part, LedgerArchivePart.Parse(part.Name));
        Assert.Null(LedgerArchivePart.Parse("sku-1.a/2026-02/other.json"));
        var entries = Enumerable.Range(11, 10).Select(i => new LedgerEntry
        {
            TxnId = $"ADJUST:a{i}:L1", Sequence = i, ProductId = "sku-1.a", LocationId = "L1", TxnType = TxnType.Adjust, Quantity = 1,
            OnHandDelta = 1, OnHandAfter = i, ReferenceId = $"a{i}", ReferenceType = "Adjustment", PerformedBy = "t", CreatedAt = Start,
        }).ToArray();
        var bytes = ArchivedLedger.Encode(entries);
        Assert.Equal(new byte[] { 0x1f, 0x8b }, bytes[..2]);
        Assert.Equal(Lines(entries), Lines(ArchivedLedger.Decode(bytes)));
    }
}
