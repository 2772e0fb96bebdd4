using Inventory.Application;
using Inventory.Application.Stock;
using Inventory.Storage;
using Inventory.Testing;

namespace Inventory.Core.Tests.Ledger;

/// <summary>
/// Found in review: a page of the full audit lists the archive's parts once, at its start
/// (<c>InvariantChecker.CheckFullPageAsync</c>: <c>archivedThrough</c>), and reads every stretch above that from the hot
/// ledger. An archival run that lands while the page reads (the daily timer, another instance) writes the next month's
/// part and deletes its hot entries: the page, still holding the list it made before, reads those stretches from the
/// hot ledger, finds them empty and reports every one as a gap, on a sound ledger whose entries are all in the archive.
/// The ledger route does not have this: it reads the archive after the hot ledger, below the oldest entry it found.
/// </summary>
public sealed class AFullAuditRacingArchivalFindsASoundLedgerConsistentTests
{
    /// <summary>The archive as the audit sees it: archival (another instance) runs right after the audit listed the parts.</summary>
    private sealed class ArchivalAfterTheListing(ILedgerArchive inner) : ILedgerArchive
    {
        private Func<Task>? armed;
        public void Arm(Func<Task> archival) => armed = archival;

        public async Task<IReadOnlyList<LedgerArchivePart>> ListAsync(string productId, CancellationToken cancellationToken = default)
        {
            var listed = await inner.ListAsync(productId, cancellationToken);
            if (Interlocked.Exchange(ref armed, null) is { } archival) await archival();
            return listed;
        }

        public Task<bool> WriteAsync(LedgerArchivePart part, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default) =>
            inner.WriteAsync(part, content, cancellationToken);

        public Task<byte[]> ReadAsync(LedgerArchivePart part, CancellationToken cancellationToken = default) => inner.ReadAsync(part, cancellationToken);
    }

    [Fact]
    public async Task A_full_audit_page_during_which_archival_moves_a_month_holds()
    {
        var clock = new ManualClock(new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero));
        var memory = new InMemoryDocumentStore();
        var archive = new InMemoryLedgerArchive();
        var seen = new ArchivalAfterTheListing(archive);
        var ledger = new LedgerOptions { CheckpointEvery = 10, ArchiveAfterDays = 30 };
        var app = new InventoryApplication(memory, clock, ledger: ledger, archive: seen);
        await ArchivedHistory.WriteAsync(app, clock, january: 999, total: 1299, TimeSpan.Zero); // January: 1..1000; March: 1001..1300
        Assert.True((await app.Invariants.CheckFullAsync("A")).Holds); // sound, before any archival

        var other = new InventoryApplication(memory, clock, ledger: ledger, archive: archive); // the archival timer, another instance
        seen.Arm(async () => Assert.Equal(1000, (await other.LedgerArchival.ArchiveAsync("A")).EntriesMoved));
        var page = await app.Invariants.CheckFullAsync("A");

        Assert.True(page.Holds, $"{page.Violations.Count} findings on a sound ledger whose January is now archived, first: "
            + string.Join(" | ", page.Violations.Take(2)));
        await ArchivedHistory.AuditToTheEndAsync(app); // and after it
    }
}
