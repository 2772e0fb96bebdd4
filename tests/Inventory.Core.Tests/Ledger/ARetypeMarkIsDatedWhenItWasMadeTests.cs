using Inventory.Application;
using Inventory.Application.Stock;
using Inventory.Domain;
using Inventory.Storage;
using Inventory.Testing;

namespace Inventory.Core.Tests.Ledger;

/// <summary>
/// A retype changes a balance without an entry, so its commit records a mark (<see cref="TxnType.Mark"/>). A retype has
/// no time of its own: a lone one's mark was dated by "the last change before it" on the instance, which is none, so
/// 1970-01-01. A mark that reaches a checkpoint dates the checkpoint, and archival files the entries up to it under that
/// month: entries made today, inside the retention window, were archived at once (under "1970-01").
/// </summary>
public sealed class ARetypeMarkIsDatedWhenItWasMadeTests
{
    private static readonly DateTimeOffset Today = new(2026, 4, 10, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_retype_reaching_a_checkpoint_archives_nothing_inside_the_retention_window()
    {
        var memory = new InMemoryDocumentStore();
        var archive = new InMemoryLedgerArchive();
        var clock = new ManualClock(Today);
        var app = new InventoryApplication(memory, clock, ledger: new LedgerOptions { CheckpointEvery = 10, ArchiveAfterDays = 30 }, archive: archive);
        var s = new StockScenario(app);
        await s.WarehouseAsync("W1");
        await s.LocationAsync("W1", "L1");
        await s.ProductAsync("A");
        await app.Receive.ExecuteAsync(new ReceiveCommand("A", "L1", 100, "opening")); // entry 1
        for (var i = 2; i <= 9; i++) await app.Adjust.ExecuteAsync(new AdjustCommand("A", "L1", 1, null, "count", $"a-{i}"));
        await s.LocationAsync("W1", "L1", LocationType.PickFace); // the retype: its mark is entry 10, a checkpoint
        await app.Adjust.ExecuteAsync(new AdjustCommand("A", "L1", 1, null, "count", "a-11")); // the mark is not the newest

        await app.LedgerArchival.ExecuteAsync();
        // every entry is from today, none older than 30 days: nothing to archive (it wrote part A/1970-01/1-10)
        Assert.Equal("", string.Join(",", (await archive.ListAsync("A")).Select(p => p.Name)));

        var checkpoint = await app.Partitions.CheckpointAsync("A", 10, default);
        Assert.NotNull(checkpoint);
        Assert.Equal(Today, checkpoint.CreatedAt); // dated 1970-01-01 by the mark
    }
}
