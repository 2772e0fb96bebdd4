using Inventory.Application;
using Inventory.Application.Stock;
using Inventory.Testing;

namespace Inventory.Core.Tests.Ledger;

/// <summary>
/// Found in review: the full audit's token is now refused unless its ledger position goes on just below its checkpoint
/// (<c>AuditPosition.Parse</c>). A page whose last segment read the hot ledger down to its end (the months below are
/// archived, so the hot ledger's oldest entry is just above the archived part's last checkpoint) holds the ledger
/// position "" (the ledger read to its end): the service issues that token, and then refuses it as not issued (400), so
/// the full audit of an archived product cannot go on past its first page.
/// </summary>
public sealed class AFullAuditTokenAtTheArchiveBoundaryIsTakenTests
{
    [Fact]
    public async Task The_token_issued_where_the_hot_ledger_ends_above_the_archive_reads_the_next_page()
    {
        var clock = new ManualClock(new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero));
        var archive = new InMemoryLedgerArchive();
        var app = new InventoryApplication(new InMemoryDocumentStore(), clock,
            ledger: new LedgerOptions { CheckpointEvery = 1000, ArchiveAfterDays = 30 }, archive: archive);
        // January: up to the checkpoint at 1000; March (inside the window): up to 2005, its checkpoint at 2000.
        await ArchivedHistory.WriteAsync(app, clock, january: 999, total: 2004, TimeSpan.FromMinutes(1));
        var run = await app.LedgerArchival.ArchiveAsync("A");
        Assert.Null(run.Problem);
        Assert.Equal(1000, run.EntriesMoved); // January's part ends on the checkpoint at 1000; 1001.. stay hot

        await ArchivedHistory.AuditToTheEndAsync(app);
    }
}
