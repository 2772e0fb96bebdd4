using Inventory.Application;
using Inventory.Application.Stock;
using Inventory.Storage;
using Inventory.Testing;

namespace Inventory.Core.Tests.Ledger;

/// <summary>
/// Found in review: the full audit reads a stretch at or below the newest archived entry from the archive and keeps the
/// hot ledger's position as it was (<c>InvariantChecker.CheckFullAsync</c>: <c>ledger = position.Ledger</c>), which is
/// just below the last hot stretch read, not below the archived stretch's checkpoint. While an archived part's entries
/// are still hot (archival stopped between the part's confirmed write and its deletes, the state its next run finishes,
/// or a run deleting at that moment), that position is not "" (the hot ledger has more), so a page ending on an archived
/// stretch issues a token whose ledger position disagrees with its checkpoint, and <c>AuditPosition.Parse</c> refuses it:
/// the service answers its own token 400 and the full audit cannot go on.
/// </summary>
public sealed class AFullAuditTokenOverAnArchivedPartStillHotIsTakenTests
{
    [Fact]
    public async Task A_page_ending_in_the_archive_while_the_part_is_still_hot_gives_a_token_the_next_page_takes()
    {
        var clock = new ManualClock(new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero));
        var archive = new InMemoryLedgerArchive();
        var memory = new InMemoryDocumentStore();
        var app = new InventoryApplication(memory, clock, ledger: new LedgerOptions { CheckpointEvery = 10, ArchiveAfterDays = 30 }, archive: archive);
        await ArchivedHistory.WriteAsync(app, clock, january: 999, total: 1299, TimeSpan.Zero); // January: entries 1..1000 (checkpoint at 1000); March: 1001..1300

        // Archival writes January's part, confirmed, then stops before its deletes (the store fails them): the part's entries stay hot.
        memory.BeforeCommit = (collection, _, writes) =>
        {
            if (collection == Collection.Products && writes.All(w => w is DocumentWrite.Delete))
                throw new StoreUnavailableException("in-memory store", "deletes refused (test)");
        };
        await Assert.ThrowsAsync<StoreUnavailableException>(() => app.LedgerArchival.ArchiveAsync("A"));
        memory.BeforeCommit = null;
        Assert.Equal(1000, Assert.Single(await archive.ListAsync("A")).LastSequence);

        await ArchivedHistory.AuditToTheEndAsync(app);
    }
}
