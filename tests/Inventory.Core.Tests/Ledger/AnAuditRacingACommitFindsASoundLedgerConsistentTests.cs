using Inventory.Application;
using Inventory.Application.Stock;
using Inventory.Domain;
using Inventory.Storage;
using Inventory.Testing;

namespace Inventory.Core.Tests.Ledger;

/// <summary>
/// Found in review: the quick audit reads the head (its ledger sequence and balances), then the newest checkpoint, then
/// "head − checkpoint" entries from the newest. A commit landing between the head's read and the ledger's (another
/// instance adjusting, a busy product) puts an entry above the head's sequence at the top: the audit takes it, misses
/// the entry just above the checkpoint, and reports a gap and sums that do not match on a sound ledger.
/// </summary>
public sealed class AnAuditRacingACommitFindsASoundLedgerConsistentTests
{
    /// <summary>Lets another instance commit an adjustment just before the audit's first checkpoint query.</summary>
    private sealed class CommitBeforeCheckpointReadStore(IDocumentStore inner) : DelegatingStore(inner)
    {
        public override async Task<DocumentPage> QueryAsync(Collection collection, string partition, string idPrefix, int pageSize, string? continuationToken,
            CancellationToken cancellationToken = default)
        {
            if (idPrefix == ProductPartitionIds.CheckpointPrefix && Interlocked.Exchange(ref armed, null) is { } before) await before();
            return await base.QueryAsync(collection, partition, idPrefix, pageSize, continuationToken, cancellationToken);
        }

        private Func<Task>? armed;
        public void Arm(Func<Task> action) => armed = action;
    }

    [Fact]
    public async Task The_quick_audit_of_a_sound_ledger_holds_while_a_commit_lands_during_it()
    {
        var memory = new InMemoryDocumentStore();
        var hooked = new CommitBeforeCheckpointReadStore(memory);
        var ledger = new LedgerOptions { CheckpointEvery = 10 };
        var s = new StockScenario(new InventoryApplication(hooked, ledger: ledger));
        await s.WarehouseAsync("W1");
        await s.LocationAsync("W1", "L1");
        await s.ProductAsync("A");
        await s.StockAsync("A", "L1", 1000);
        for (var i = 1; i <= 24; i++) await s.App.Adjust.ExecuteAsync(new AdjustCommand("A", "L1", -1, null, "count", $"a-{i}"));
        Assert.True((await s.App.Invariants.CheckAsync("A")).Holds);

        var other = new InventoryApplication(memory, ledger: ledger); // another instance
        hooked.Arm(() => other.Adjust.ExecuteAsync(new AdjustCommand("A", "L1", -1, null, "count", "racing")));
        var audit = await s.App.Invariants.CheckAsync("A");

        Assert.True(audit.Holds, string.Join("\n", audit.Violations));
        Assert.True((await s.App.Invariants.CheckAsync("A")).Holds); // and after it
    }
}
