using System.Text.Json.Nodes;
using Inventory.Application;
using Inventory.Application.Stock;
using Inventory.Domain;
using Inventory.Testing;

namespace Inventory.Core.Tests.Ledger;

/// <summary>
/// Found in review: a full-audit token is JSON of the checkpoint to verify next and the store's positions just below it, read
/// as given. One whose checkpoint and positions do not belong together (the checkpoint edited, the positions dropped) is
/// not refused: the page verifies the wrong entries against that checkpoint and answers a sound ledger inconsistent.
/// A token the service did not issue must be a 400, never a wrong page; the positions follow from the checkpoint, so
/// they can be checked (or rebuilt) from it.
/// </summary>
public sealed class AFullAuditTokenNotAsIssuedIsRefusedTests
{
    [Fact]
    public async Task A_token_whose_checkpoint_and_positions_disagree_is_a_validation_error_not_a_failed_audit()
    {
        var s = new StockScenario(new InventoryApplication(new InMemoryDocumentStore(), ledger: new LedgerOptions { CheckpointEvery = 100 }));
        await s.WarehouseAsync("W1");
        await s.LocationAsync("W1", "L1");
        await s.ProductAsync("A");
        await s.StockAsync("A", "L1", 1000);
        for (var i = 1; i < 1150; i++) await s.App.Adjust.ExecuteAsync(new AdjustCommand("A", "L1", i % 2 == 0 ? -1 : 1, null, "count", $"a-{i}"));

        // The sound ledger, paged as issued: every page holds.
        string? token = null;
        var issued = new List<string>();
        do
        {
            var page = await s.App.Invariants.CheckFullAsync("A", token);
            Assert.True(page.Holds, string.Join("\n", page.Violations));
            token = page.ContinuationToken;
            if (token is not null) issued.Add(token);
        } while (token is not null);
        Assert.NotEmpty(issued);

        // The first page's token as issued, with its checkpoint moved one interval up; and with its positions left out.
        var json = JsonNode.Parse(issued[0])!.AsObject();
        var upper = json["Upper"]!.GetValue<long>();
        var moved = json.DeepClone().AsObject();
        moved["Upper"] = upper + 100; // a real checkpoint, not the one these positions are below
        var bare = new JsonObject { ["Upper"] = upper };

        foreach (var forged in new[] { moved.ToJsonString(), bare.ToJsonString() })
        {
            var outcome = await Record.ExceptionAsync(() => s.App.Invariants.CheckFullAsync("A", forged));
            Assert.True(outcome is ValidationException, outcome is null
                ? $"token {forged} was taken: the page reads {string.Join(" | ", (await s.App.Invariants.CheckFullAsync("A", forged)).Violations.Take(3))}"
                : outcome.ToString());
        }
    }
}
