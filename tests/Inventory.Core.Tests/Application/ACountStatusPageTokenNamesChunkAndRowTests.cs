using Inventory.Application;
using Inventory.Application.Counts;
using Inventory.Domain;
using Inventory.Testing;

namespace Inventory.Core.Tests.Application;

/// <summary>
/// Next to <see cref="ACountStatusPageHoldsAtMostPageSizeRowsTests"/>: pages cut within a chunk carry a token naming the
/// chunk and the row, so following them reads every outcome once, in file order; a token issued before (a chunk's index
/// alone) still reads from that chunk's first row; a token naming no recorded row is a 400.
/// </summary>
public sealed class ACountStatusPageTokenNamesChunkAndRowTests
{
    private static async Task<InventoryApplication> RecordedAsync()
    {
        var app = new InventoryApplication(new InMemoryDocumentStore()) { CountOptions = new CountOptions { InRequestRows = 10, WindowRows = 50 } };
        var s = new StockScenario(app);
        await s.WarehouseAsync("w");
        for (var l = 0; l < 24; l++) await s.LocationAsync("w", $"bin-{l}");
        for (var p = 0; p < 5; p++) await s.ProductAsync($"p{p}", $"SKU-{p}");
        // 120 rows: chunks of 50, 50 and 20.
        var rows = Enumerable.Range(0, 120).Select(i => new CountRow(i + 2, $"bin-{i / 5}", $"p{i % 5}", null, 3, null)).ToArray();
        Assert.Equal(CountState.Completed, (await app.StockCount.SubmitAsync(new CountCommand("tok-1", rows))).Status!.Status);
        return app;
    }

    [Theory]
    [InlineData(7)]
    [InlineData(50)]
    [InlineData(60)]
    public async Task Following_the_tokens_reads_every_row_once_in_file_order(int pageSize)
    {
        var app = await RecordedAsync();
        var lines = new List<int>();
        string? token = null;
        do
        {
            var page = await app.RecordedCounts.StatusAsync("tok-1", token, pageSize);
            Assert.InRange(page.Results.Count, 1, pageSize);
            lines.AddRange(page.Results.Select(r => r.Line));
            token = page.ContinuationToken;
        } while (token is not null);

        Assert.Equal(Enumerable.Range(2, 120), lines);
    }

    [Fact]
    public async Task A_token_issued_before_names_a_chunk_and_reads_from_its_first_row()
    {
        var app = await RecordedAsync();

        var page = await app.RecordedCounts.StatusAsync("tok-1", "1", 10);

        Assert.Equal(Enumerable.Range(52, 10), page.Results.Select(r => r.Line));
        Assert.Equal("1.10", page.ContinuationToken);
    }

    [Theory]
    [InlineData("x")]
    [InlineData("1.0")]
    [InlineData("1.50")]
    [InlineData("2.20")] // the last chunk holds 20 rows
    [InlineData("3.1")]
    [InlineData("1.2.3")]
    [InlineData("-1")]
    [InlineData("9")]
    public async Task A_token_naming_no_recorded_row_is_refused(string token)
    {
        var app = await RecordedAsync();

        var refused = await Assert.ThrowsAsync<ValidationException>(() => app.RecordedCounts.StatusAsync("tok-1", token, 10));

        Assert.Equal("continuationToken", Assert.Single(refused.Errors).Field);
    }
}
