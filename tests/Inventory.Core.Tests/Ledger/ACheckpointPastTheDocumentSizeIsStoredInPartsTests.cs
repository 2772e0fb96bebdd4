using Inventory.Application;
using Inventory.Application.Stock;
using Inventory.Domain;
using Inventory.Storage;
using Inventory.Testing;

namespace Inventory.Core.Tests.Ledger;

/// <summary>
/// A checkpoint whose balances pass the store's document size (64 KiB here, as on Table Storage) is written in parts in
/// its commit (<c>ckp|{inverted sequence}</c>, then <c>|001</c>, ...), and every reader takes it whole: the checkpoint
/// pages, a point read, the full audit and archival. Each receipt below puts stock in a new location with a long id, so
/// checkpoint s holds s balances, and those from about 190 on need two documents.
/// </summary>
public sealed class ACheckpointPastTheDocumentSizeIsStoredInPartsTests
{
    private const int Every = 10;

    private static string Location(int i) => $"L{i:D4}-" + new string('x', 110);

    private static async Task<(InventoryApplication App, InMemoryDocumentStore Store, List<IReadOnlyList<DocumentWrite>> Commits)> StockAsync(
        int locations, ManualClock? clock = null, InMemoryLedgerArchive? archive = null, Func<int, TimeSpan>? between = null)
    {
        var store = new InMemoryDocumentStore();
        var commits = new List<IReadOnlyList<DocumentWrite>>();
        store.AfterCommit = (collection, _, writes) => { if (collection == Collection.Products) lock (commits) commits.Add(writes); };
        var app = new InventoryApplication(store, clock ?? new ManualClock(DateTimeOffset.UnixEpoch),
            ledger: new LedgerOptions { CheckpointEvery = Every, ArchiveAfterDays = archive is null ? null : 30 }, archive: archive);
        var s = new StockScenario(app);
        await s.WarehouseAsync("W1");
        for (var i = 1; i <= locations; i++) await s.LocationAsync("W1", Location(i));
        await s.ProductAsync("A");
        for (var i = 1; i <= locations; i++)
        {
            await app.Receive.ExecuteAsync(new ReceiveCommand("A", Location(i), i, $"r-{i}"));
            if (between is not null) clock!.Advance(between(i));
        }
        return (app, store, commits);
    }

    [Fact]
    public async Task Its_parts_are_written_in_its_commit_and_every_page_of_checkpoints_reads_it_whole()
    {
        var (app, store, commits) = await StockAsync(220);

        var commit = Assert.Single(commits, w => w.Any(x => x.Id == ProductPartitionIds.Checkpoint(220)));
        Assert.Contains(commit, w => w is DocumentWrite.Create && w.Id == ProductPartitionIds.CheckpointPart(220, 1));
        Assert.All(commit.Where(w => w.Id.StartsWith(ProductPartitionIds.CheckpointPrefix, StringComparison.Ordinal)),
            w => Assert.Equal("ledgerCheckpoint", w.Type));
        Assert.DoesNotContain(commits.SelectMany(c => c), w => w.Id == ProductPartitionIds.CheckpointPart(10, 1)); // a small one: one document, as before

        // One document a page (as the audit asks), pages ending among parts, and all at once: each checkpoint once, whole, newest first.
        var seen = await CheckpointsAsync(app, 1);
        Assert.Equal(Enumerable.Range(1, 22).Reverse().Select(n => n * 10L), seen.Select(c => c.Sequence));
        Assert.All(seen, c => Assert.Equal(Enumerable.Range(1, (int)c.Sequence).Select(i => Location(i)), c.Balances.Select(b => b.LocationId)));
        Assert.Equal(seen, await CheckpointsAsync(app, 2), CheckpointComparer.Instance);
        Assert.Equal(seen, await CheckpointsAsync(app, 5), CheckpointComparer.Instance);
        Assert.Equal(seen, await CheckpointsAsync(app, 1000), CheckpointComparer.Instance);
        Assert.Equal(220, (await app.Partitions.CheckpointAsync("A", 220, default))!.Balances.Count);

        var audit = await app.Invariants.CheckAsync("A");
        Assert.True(audit.Holds, string.Join("\n", audit.Violations));
        Assert.Equal(220, audit.CheckpointSequence);
    }

    [Fact]
    public async Task The_full_audit_verifies_every_stretch_between_checkpoints_in_parts()
    {
        var (app, _, _) = await StockAsync(215);
        var pages = 0;
        string? token = null;
        InvariantReport page;
        do
        {
            page = await app.Invariants.CheckFullAsync("A", token);
            Assert.True(page.Holds, string.Join("\n", page.Violations));
            token = page.ContinuationToken;
        } while (token is not null && ++pages < 100);
        Assert.Equal(0, page.VerifiedDownTo);
    }

    [Fact]
    public async Task A_part_missing_is_corrupt_data_not_a_checkpoint_short_of_balances()
    {
        var (app, store, _) = await StockAsync(200);
        var part = (await store.ReadAsync(Collection.Products, "A", [ProductPartitionIds.CheckpointPart(200, 1)], [])).Single();
        await store.CommitAsync(Collection.Products, "A", [new DocumentWrite.Delete(part.Id, part.ETag)]);

        await Assert.ThrowsAsync<InvalidDataException>(() => app.Partitions.CheckpointAsync("A", 200, default));
        // The audits report it as a finding (the ledger does not hold), naming the part, rather than failing with an error.
        foreach (var report in new[] { await app.Invariants.CheckAsync("A"), await app.Invariants.CheckFullAsync("A") })
        {
            Assert.False(report.Holds);
            Assert.Contains(report.Violations, v => v.Contains("part 1 is missing", StringComparison.Ordinal));
            Assert.Null(report.ContinuationToken);
        }
    }

    [Fact]
    public async Task Archival_moves_the_entries_up_to_a_checkpoint_in_parts_and_the_audit_reads_them_back()
    {
        var clock = new ManualClock(new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero));
        var archive = new InMemoryLedgerArchive();
        // January: receipts 1..200 (checkpoint 200 in parts); March, inside the window: 201..215.
        var (app, store, _) = await StockAsync(215, clock, archive,
            i => i == 200 ? new DateTimeOffset(2026, 3, 20, 9, 0, 0, TimeSpan.Zero) - clock.GetUtcNow() : TimeSpan.FromMinutes(1));
        clock.Advance(new DateTimeOffset(2026, 4, 10, 3, 30, 0, TimeSpan.Zero) - clock.GetUtcNow());

        var run = await app.LedgerArchival.ArchiveAsync("A");
        Assert.Null(run.Problem);
        Assert.Equal(200, Assert.Single(await archive.ListAsync("A")).LastSequence);
        Assert.NotEmpty(await store.ReadAsync(Collection.Products, "A", [ProductPartitionIds.CheckpointPart(200, 1)], [])); // checkpoints stay hot, parts too

        long archived = 0;
        string? token = null;
        InvariantReport page;
        do
        {
            page = await app.Invariants.CheckFullAsync("A", token);
            Assert.True(page.Holds, string.Join("\n", page.Violations));
            archived += page.ArchivedEntries;
            token = page.ContinuationToken;
        } while (token is not null);
        Assert.Equal(0, page.VerifiedDownTo);
        Assert.Equal(200, archived);
    }

    private static async Task<List<LedgerCheckpoint>> CheckpointsAsync(InventoryApplication app, int pageSize)
    {
        var all = new List<LedgerCheckpoint>();
        string? token = null;
        do
        {
            var (page, next) = await app.Partitions.CheckpointPageAsync("A", pageSize, token, default);
            all.AddRange(page);
            token = next;
        } while (token is not null);
        return all;
    }

    private sealed class CheckpointComparer : IEqualityComparer<LedgerCheckpoint>
    {
        public static CheckpointComparer Instance { get; } = new();
        public bool Equals(LedgerCheckpoint? x, LedgerCheckpoint? y) =>
            x is not null && y is not null && x.Sequence == y.Sequence && x.CreatedAt == y.CreatedAt && x.Balances.SequenceEqual(y.Balances);
        public int GetHashCode(LedgerCheckpoint obj) => obj.Sequence.GetHashCode();
    }
}
