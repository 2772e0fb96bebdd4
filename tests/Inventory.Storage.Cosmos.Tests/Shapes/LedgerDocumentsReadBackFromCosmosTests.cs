using Inventory.Application;
using Inventory.Application.Stock;
using Inventory.Testing;

namespace Inventory.Storage.Cosmos.Tests.Shapes;

/// <summary>
/// A product's ledger over months: packs of entries, a checkpoint every K-th entry, and archival (entries moved to the
/// archive, the hot documents deleted, the archive's position recorded), each document through the Cosmos item mapping.
/// </summary>
public class LedgerDocumentsReadBackFromCosmosTests
{
    [Fact]
    public async Task Checkpoints_and_archival_write_only_shapes_Cosmos_keeps()
    {
        var archive = new InMemoryLedgerArchive();
        var world = await ShapeWorld.CreateAsync(ledger: new LedgerOptions { CheckpointEvery = 10, ArchiveAfterDays = 30 }, archive: archive);
        var app = world.App;
        for (var i = 1; i <= 60; i++)
        {
            if (i % 3 == 0) await app.Transfer.ExecuteAsync(new TransferCommand(ShapeWorld.A, ShapeWorld.Pick, ShapeWorld.Bulk, 1, $"t-{i}"));
            else await app.Adjust.ExecuteAsync(new AdjustCommand(ShapeWorld.A, ShapeWorld.Pick, i % 2 == 0 ? -1 : 1, null, "count", $"a-{i}"));
            world.Clock.Advance(TimeSpan.FromHours(30));
        }

        var run = await app.LedgerArchival.ExecuteAsync();

        Assert.True(run.EntriesMoved > 0);
        world.Store.AssertNoProblems();
        Assert.Contains(world.Writes(Collection.Products), w => w.Id.StartsWith(ProductPartitionIds.CheckpointPrefix, StringComparison.Ordinal));
        Assert.Contains(world.Writes(Collection.Products), w => w.Kind == "delete");
    }
}
