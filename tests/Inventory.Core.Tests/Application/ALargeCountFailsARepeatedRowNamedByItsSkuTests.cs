using Inventory.Application.Counts;
using Inventory.Testing;

namespace Inventory.Core.Tests.Application;

/// <summary>
/// Found in review: docs/http-api.md promises "A product and location counted twice in one large count: the later row is
/// FAILED, as in a small count". A small count finds the repeat after resolving SKUs (<c>CountPass</c>); a recorded count
/// marked repeats before (<c>RecordedCounts.MarkRepeats</c>), keyed by the id as written, "id:{productId}" or "sku:{sku}",
/// so one row naming the product and a later one naming its SKU were not a repeat there, and when they fell into
/// different windows, the later row met the earlier row's adjustment: with the same quantity it answered REPLAYED (the
/// count's totals then say the count changed the bin twice), with another, FAILED reference-conflict.
/// </summary>
public class ALargeCountFailsARepeatedRowNamedByItsSkuTests
{
    [Fact]
    public async Task The_later_row_naming_the_same_product_by_sku_fails_as_a_repeat()
    {
        var app = new InventoryApplication(new InMemoryDocumentStore())
        {
            CountOptions = new CountOptions { InRequestRows = 10, WindowRows = 50 }, // one chunk of 50 rows a window
        };
        var s = new StockScenario(app);
        await s.WarehouseAsync("w");
        await s.LocationAsync("w", "bin-a");
        await s.ProductAsync("p1", "SKU-1");
        await s.StockAsync("p1", "bin-a", 10);

        // Line 2 counts p1 at bin-a by id; 50 rows of unknown SKUs in between; line 53 counts it again by its SKU.
        var rows = new List<CountRow> { new(2, "bin-a", "p1", null, 7, null) };
        rows.AddRange(Enumerable.Range(3, 50).Select(line => new CountRow(line, "bin-a", null, $"NO-SUCH-{line}", 1, null)));
        rows.Add(new CountRow(53, "bin-a", null, "SKU-1", 7, null));

        var answer = await app.StockCount.SubmitAsync(new CountCommand("large-repeat", rows));
        Assert.Equal(CountState.Completed, answer.Status!.Status);

        var outcomes = new List<CountRowOutcome>();
        string? token = null;
        do
        {
            var page = await app.RecordedCounts.StatusAsync("large-repeat", token, 1000);
            outcomes.AddRange(page.Results);
            token = page.ContinuationToken;
        } while (token is not null);

        Assert.Equal(CountRowStatus.Applied, outcomes.Single(o => o.Line == 2).Status);
        var repeat = outcomes.Single(o => o.Line == 53);
        Assert.True(repeat.Status == CountRowStatus.Failed && repeat.Code == "validation-failed",
            $"line 53: {repeat.Status} {repeat.Code} {repeat.Error}");
        Assert.Equal((1, 0), (answer.Status.Applied, answer.Status.Replayed));
    }
}
