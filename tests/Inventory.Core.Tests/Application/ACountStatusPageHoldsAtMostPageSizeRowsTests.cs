using Inventory.Application;
using Inventory.Application.Counts;
using Inventory.Domain;
using Inventory.Testing;

namespace Inventory.Core.Tests.Application;

/// <summary>
/// Found in review: GET /api/stock/counts/{countId}?pageSize=N is documented (docs/http-api.md, Stock counts; the
/// OpenAPI description of GetStockCount) to answer "the outcomes recorded so far in file order, pageSize rows at most".
/// RecordedCounts.StatusAsync pages by recorded chunk (up to 50 rows each) and reads max(1, pageSize / 50) chunks, so
/// any pageSize below 50 answers a whole chunk: ?pageSize=10 gives 50 rows. A client that sized its buffer, screen
/// or batch to pageSize gets five times as many. Rows must be cut to pageSize (the token then naming the row within
/// the chunk), or the documented bound changed.
/// </summary>
public sealed class ACountStatusPageHoldsAtMostPageSizeRowsTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(10)]
    [InlineData(49)]
    public async Task A_status_page_never_holds_more_rows_than_pageSize(int pageSize)
    {
        var store = new InMemoryDocumentStore();
        var app = new InventoryApplication(store) { CountOptions = new CountOptions { InRequestRows = 10, WindowRows = 50 } };
        var s = new StockScenario(app);
        await s.WarehouseAsync("w");
        for (var l = 0; l < 12; l++) await s.LocationAsync("w", $"bin-{l}");
        for (var p = 0; p < 5; p++) await s.ProductAsync($"p{p}", $"SKU-{p}");
        // 60 rows: more than InRequestRows, so the count is recorded (in chunks of at most 50 rows) and has a status.
        var rows = Enumerable.Range(0, 60).Select(i => new CountRow(i + 2, $"bin-{i / 5}", $"p{i % 5}", null, 3, null)).ToArray();
        var answer = await app.StockCount.SubmitAsync(new CountCommand("page-1", rows));
        Assert.Equal(CountState.Completed, answer.Status!.Status);

        var page = await app.RecordedCounts.StatusAsync("page-1", null, pageSize);

        Assert.True(page.Results.Count <= pageSize, $"?pageSize={pageSize} answered {page.Results.Count} rows");
        Assert.NotNull(page.ContinuationToken);
    }
}
