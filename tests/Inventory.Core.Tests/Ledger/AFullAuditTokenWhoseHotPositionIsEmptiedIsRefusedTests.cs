using System.Text.Json.Nodes;
using Inventory.Application;
using Inventory.Application.Stock;
using Inventory.Domain;
using Inventory.Testing;

namespace Inventory.Core.Tests.Ledger;

/// <summary>
/// Found in review: <c>AuditPosition.Parse</c> checks that a full-audit token's ledger position goes on just below its
/// checkpoint, unless the position is <c>""</c> ("the hot ledger was read to its end, or a stretch came from the
/// archive"), which it takes for any checkpoint. The service issues <c>""</c> only where no hot entry lies below the
/// checkpoint; the same token with its position emptied, over a checkpoint whose stretch is hot and not archived, is
/// read as given: the page reads no entry at all and answers a sound ledger as one long gap, stretch after stretch,
/// where a token the service did not issue must be a 400, never a failed audit (or the position rebuilt from the
/// checkpoint, <c>LedgerPosition.From</c>, when no archived part reaches it).
/// </summary>
public sealed class AFullAuditTokenWhoseHotPositionIsEmptiedIsRefusedTests
{
    [Fact]
    public async Task A_token_with_its_ledger_position_emptied_over_a_hot_stretch_is_refused_or_reads_the_stretch()
    {
        var s = new StockScenario(new InventoryApplication(new InMemoryDocumentStore(), ledger: new LedgerOptions { CheckpointEvery = 100 }));
        await s.WarehouseAsync("W1");
        await s.LocationAsync("W1", "L1");
        await s.ProductAsync("A");
        await s.StockAsync("A", "L1", 1000);
        for (var i = 1; i < 1150; i++) await s.App.Adjust.ExecuteAsync(new AdjustCommand("A", "L1", i % 2 == 0 ? -1 : 1, null, "count", $"a-{i}"));

        var first = await s.App.Invariants.CheckFullAsync("A");
        Assert.True(first.Holds, string.Join("\n", first.Violations));
        Assert.NotNull(first.ContinuationToken);
        Assert.True((await s.App.Invariants.CheckFullAsync("A", first.ContinuationToken)).Holds); // as issued: it holds

        var emptied = JsonNode.Parse(first.ContinuationToken!)!.AsObject();
        Assert.NotEqual("", emptied["Ledger"]!.GetValue<string>()); // issued with a hot position: nothing is archived
        emptied["Ledger"] = "";
        var forged = emptied.ToJsonString();

        var outcome = await Record.ExceptionAsync(() => s.App.Invariants.CheckFullAsync("A", forged));
        if (outcome is null)
        {
            var page = await s.App.Invariants.CheckFullAsync("A", forged);
            Assert.True(page.Holds, $"token {forged} was taken: {page.LedgerEntries} entries read, {page.Violations.Count} findings on a sound ledger, "
                + $"first: {string.Join(" | ", page.Violations.Take(2))}");
        }
        else Assert.IsType<ValidationException>(outcome);
    }
}
