using Inventory.Application;
using Inventory.Application.Stock;
using Inventory.Storage;
using Inventory.Testing;

namespace Inventory.Core.Tests.Ledger;

/// <summary>
/// Found in review: <c>InvariantChecker.CheckFullAsync</c> now turns an <see cref="InvalidDataException"/> (a checkpoint
/// part missing) into a finding, but it catches it around the whole page and answers a fresh report holding that one
/// finding: whatever the page had found before it (here the live balance that disagrees with its ledger, found by the
/// quick audit the first page starts with), the entries it read and the checkpoint it started from are dropped. The
/// docs say the audit "stops there" and reports what it cannot read as a finding, not that it forgets what it found.
/// </summary>
public sealed class AFullAuditPageThatMeetsUnreadableDataKeepsItsOtherFindingsTests
{
    private static string Location(int i) => $"L{i:D4}-" + new string('x', 110);

    [Fact]
    public async Task A_live_balance_off_its_ledger_is_still_reported_when_an_older_checkpoint_part_is_missing()
    {
        var store = new InMemoryDocumentStore();
        var app = new InventoryApplication(store, new ManualClock(DateTimeOffset.UnixEpoch), ledger: new LedgerOptions { CheckpointEvery = 10 });
        var s = new StockScenario(app);
        await s.WarehouseAsync("W1");
        for (var i = 1; i <= 210; i++) await s.LocationAsync("W1", Location(i));
        await s.ProductAsync("A");
        for (var i = 1; i <= 210; i++) await app.Receive.ExecuteAsync(new ReceiveCommand("A", Location(i), i, $"r-{i}"));

        // The live balance at the first location no longer agrees with its ledger (3 on hand, received 1)...
        var balance = (await store.ReadAsync(Collection.Products, "A", [ProductPartitionIds.Balance(Location(1))], [])).Single();
        Assert.Contains("\"quantityOnHand\":1,", balance.Body);
        await store.CommitAsync(Collection.Products, "A",
            [new DocumentWrite.Replace(balance.Id, balance.Body.Replace("\"quantityOnHand\":1,", "\"quantityOnHand\":3,"), balance.ETag)]);
        var found = (await app.Invariants.CheckAsync("A")).Violations;
        Assert.NotEmpty(found); // the quick audit finds it

        // ... and the second part of checkpoint 200, below the latest (210), is missing.
        var part = (await store.ReadAsync(Collection.Products, "A", [ProductPartitionIds.CheckpointPart(200, 1)], [])).Single();
        await store.CommitAsync(Collection.Products, "A", [new DocumentWrite.Delete(part.Id, part.ETag)]);

        var full = await app.Invariants.CheckFullAsync("A");

        Assert.Contains(full.Violations, v => v.Contains("part 1 is missing", StringComparison.Ordinal));
        Assert.All(found, f => Assert.Contains(f, full.Violations));
        Assert.Equal(210, full.CheckpointSequence);
    }
}
