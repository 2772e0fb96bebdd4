using Inventory.Application;
using Inventory.Application.Stock;
using Inventory.Domain;
using Inventory.Storage;
using Inventory.Testing;

namespace Inventory.Core.Tests.Ledger;

/// <summary>
/// Found in review: two archival runs at once, one of which stops midway. Run B lists the parts (none yet), then run A writes
/// January's part and stops after deleting its first chunk of hot documents (a crash, or a store error the run counts and
/// moves past). B then finds January half hot, sees its part listed, and skips it (assuming its writer will finish), and
/// archives February. From then on January's leftovers are never removed: each run only finishes the deletes of the
/// newest part (February, fully deleted). The ledger route reads the hot ledger down to the leftovers and then the
/// archive below the oldest of them, so every February entry is skipped.
/// </summary>
public sealed class ArchivalFinishesAnOlderPartLeftHalfDeletedTests
{
    private const int Every = 10;
    private static readonly DateTimeOffset Start = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset ArchiveDay = new(2026, 4, 10, 3, 30, 0, TimeSpan.Zero);

    private static InventoryApplication NewApp(IDocumentStore store, ILedgerArchive archive, TimeProvider clock) =>
        new(store, clock, ledger: new LedgerOptions { CheckpointEvery = Every, ArchiveAfterDays = 30 }, archive: archive);

    /// <summary>Holds the first checkpoint query (the run's step after listing the parts) until released.</summary>
    private sealed class HeldAfterListingStore(IDocumentStore inner) : DelegatingStore(inner)
    {
        public TaskCompletionSource Reached { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int held;

        public override async Task<DocumentPage> QueryAsync(Collection collection, string partition, string idPrefix, int pageSize, string? continuationToken,
            CancellationToken cancellationToken = default)
        {
            if (idPrefix == ProductPartitionIds.CheckpointPrefix && Interlocked.Exchange(ref held, 1) == 0)
            {
                Reached.SetResult();
                await Release.Task;
            }
            return await base.QueryAsync(collection, partition, idPrefix, pageSize, continuationToken, cancellationToken);
        }
    }

    private static async Task<IReadOnlyList<long>> LedgerAsync(InventoryApplication app)
    {
        var listed = new List<long>();
        string? token = null;
        do
        {
            var page = await app.Stock.GetLedgerAsync("A", 100, token);
            listed.AddRange(page.Entries.Select(e => e.Sequence));
            token = page.ContinuationToken;
        } while (token is not null);
        return listed;
    }

    [Fact]
    public async Task A_run_that_finds_an_older_part_half_deleted_finishes_it_so_the_ledger_lists_every_entry_once()
    {
        // Chunks of 20 deletes, so January's ~70 documents take several commits.
        var memory = new InMemoryDocumentStore(maxWritesPerCommit: 20);
        var archive = new InMemoryLedgerArchive();
        var clock = new ManualClock(Start);
        var app = NewApp(memory, archive, clock);
        var s = new StockScenario(app);
        await s.WarehouseAsync("W1");
        await s.LocationAsync("W1", "L1");
        await s.LocationAsync("W1", "L2");
        await s.ProductAsync("A");
        await app.Receive.ExecuteAsync(new ReceiveCommand("A", "L1", 100_000, "opening"));
        for (var i = 1; clock.GetUtcNow() < ArchiveDay - TimeSpan.FromDays(2); i++)
        {
            await app.Adjust.ExecuteAsync(new AdjustCommand("A", i % 2 == 0 ? "L1" : "L2", i % 2 == 0 ? -1 : 1, null, "count", $"a-{i}"));
            clock.Advance(TimeSpan.FromHours(9));
        }
        clock.Advance(ArchiveDay - clock.GetUtcNow());
        var before = await LedgerAsync(app);

        var heldB = new HeldAfterListingStore(memory);
        var runB = NewApp(heldB, archive, clock).LedgerArchival.ArchiveAsync("A");
        await heldB.Reached.Task; // B has listed the parts: none

        var faultyA = new FaultyStore(memory);
        faultyA.Arm(2, FaultSide.BeforeApplying); // A writes January, deletes its first chunk, then stops
        await Assert.ThrowsAsync<StoreFaultException>(() => NewApp(faultyA, archive, clock).LedgerArchival.ArchiveAsync("A"));

        heldB.Release.SetResult();
        var b = await runB;
        Assert.Null(b.Problem);
        await NewApp(memory, archive, clock).LedgerArchival.ExecuteAsync(); // later runs

        var parts = await archive.ListAsync("A");
        Assert.Equal(["2026-01", "2026-02"], parts.Select(p => p.Month));
        var archived = parts[^1].LastSequence;
        var listed = await LedgerAsync(NewApp(memory, archive, clock));
        var skipped = before.Except(listed).ToArray();
        Assert.True(skipped.Length == 0 && listed.Count == before.Count,
            $"the ledger skips {skipped.Length} entries ({(skipped.Length > 0 ? $"{skipped.Min()}..{skipped.Max()}" : "")}) of {before.Count}; listed {listed.Count}");
        var hot = await HotLedger.EntriesAsync(memory, "A");
        Assert.True(hot.All(e => e.Sequence > archived),
            $"hot entries at or below {archived}, the archived part's end, are never removed: {string.Join(",", hot.Where(e => e.Sequence <= archived).Select(e => e.Sequence))}");
    }
}
