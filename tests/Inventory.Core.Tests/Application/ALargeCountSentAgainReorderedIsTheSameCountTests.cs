using Inventory.Application.Counts;
using Inventory.Testing;

namespace Inventory.Core.Tests.Application;

/// <summary>
/// Found in review: docs/http-api.md (Stock counts, Idempotent) promises that "the same count sent again changes nothing
/// (rows answer REPLAYED), even reordered". A count above <c>Counts__InRequestRows</c> is recorded under the hash of its
/// rows as a list (<c>CountBook.HashOf</c>: order and line numbers included), so the same rows sent again in another
/// order (an export sorted differently, one blank line more in the CSV) are taken for other rows: 409
/// <c>count-conflict</c>, where the small count of the same rows answers every row REPLAYED.
/// </summary>
public class ALargeCountSentAgainReorderedIsTheSameCountTests
{
    [Fact(Skip = "Known defect found in review r7 on 2026-12-01, not fixed yet (session ran out): see the closing note and the class comment. Remove this Skip with the fix.")]
    public async Task The_same_rows_in_another_order_answer_the_counts_status_not_a_conflict()
    {
        var app = new InventoryApplication(new InMemoryDocumentStore())
        {
            CountOptions = new CountOptions { InRequestRows = 2, WindowRows = 50 },
        };
        var s = new StockScenario(app);
        await s.WarehouseAsync("w");
        foreach (var bin in new[] { "bin-a", "bin-b", "bin-c" }) await s.LocationAsync("w", bin);
        await s.ProductAsync("p1", "SKU-1");
        await s.StockAsync("p1", "bin-a", 10);

        CountRow[] rows = [new(2, "bin-a", "p1", null, 7, null), new(3, "bin-b", "p1", null, 2, null), new(4, "bin-c", "p1", null, 1, null)];
        var first = await app.StockCount.SubmitAsync(new CountCommand("large-again", rows));
        Assert.Equal((CountState.Completed, 3), (first.Status!.Status, first.Status.Applied));

        // The same three rows, the file sorted the other way.
        var reordered = rows.Reverse().Select((r, i) => r with { Line = i + 2 }).ToArray();
        var again = await app.StockCount.SubmitAsync(new CountCommand("large-again", reordered));

        Assert.Equal(CountState.Completed, again.Status!.Status);
        Assert.Equal(10, (await app.Stock.GetStockAsync("p1")).QuantityOnHand);
    }
}
