using System.Security.Cryptography;
using System.Text;
using Inventory.Application;
using Inventory.Application.Counts;
using Inventory.Testing;

namespace Inventory.Core.Tests.Application;

/// <summary>
/// Found in review: docs/http-api.md (Stock counts, Idempotent) promises that "the same count sent again changes nothing
/// (rows answer REPLAYED), even reordered". A count above <c>Counts__InRequestRows</c> is recorded under the hash of its
/// rows as a list (<c>CountBook.HashOf</c>: order and line numbers included), so the same rows sent again in another
/// order (an export sorted differently, one blank line more in the CSV) were taken for other rows: 409
/// <c>count-conflict</c>, where the small count of the same rows answers every row REPLAYED. Counts recorded under that
/// list hash before the fix are still recognised when sent again as they were.
/// </summary>
public class ALargeCountSentAgainReorderedIsTheSameCountTests
{
    private static readonly CountRow[] Rows =
        [new(2, "bin-a", "p1", null, 7, null), new(3, "bin-b", "p1", null, 2, null), new(4, "bin-c", "p1", null, 1, null)];

    private static async Task<InventoryApplication> WorldAsync(InMemoryDocumentStore store)
    {
        var app = new InventoryApplication(store) { CountOptions = new CountOptions { InRequestRows = 2, WindowRows = 50 } };
        var s = new StockScenario(app);
        await s.WarehouseAsync("w");
        foreach (var bin in new[] { "bin-a", "bin-b", "bin-c" }) await s.LocationAsync("w", bin);
        await s.ProductAsync("p1", "SKU-1");
        await s.StockAsync("p1", "bin-a", 10);
        return app;
    }

    [Fact]
    public async Task The_same_rows_in_another_order_answer_the_counts_status_not_a_conflict()
    {
        var app = await WorldAsync(new InMemoryDocumentStore());
        var rows = Rows;
        var first = await app.StockCount.SubmitAsync(new CountCommand("large-again", rows));
        Assert.Equal((CountState.Completed, 3), (first.Status!.Status, first.Status.Applied));

        // The same three rows, the file sorted the other way.
        var reordered = rows.Reverse().Select((r, i) => r with { Line = i + 2 }).ToArray();
        var again = await app.StockCount.SubmitAsync(new CountCommand("large-again", reordered));

        Assert.Equal(CountState.Completed, again.Status!.Status);
        Assert.Equal(10, (await app.Stock.GetStockAsync("p1")).QuantityOnHand);
    }

    [Fact]
    public async Task Other_rows_under_the_same_id_still_conflict_in_any_order()
    {
        var app = await WorldAsync(new InMemoryDocumentStore());
        await app.StockCount.SubmitAsync(new CountCommand("large-again", Rows));

        var changed = Rows.Reverse().Select((r, i) => r with { Line = i + 2, CountedQuantity = i == 0 ? 5 : r.CountedQuantity }).ToArray();
        await Assert.ThrowsAsync<CountConflictException>(() => app.StockCount.SubmitAsync(new CountCommand("large-again", changed)));
        Assert.Equal(10, (await app.Stock.GetStockAsync("p1")).QuantityOnHand);
    }

    [Fact]
    public async Task A_count_recorded_under_the_earlier_list_hash_is_recognised_when_sent_again()
    {
        var store = new InMemoryDocumentStore();
        var app = await WorldAsync(store);
        await app.StockCount.SubmitAsync(new CountCommand("recorded-before", Rows));
        // As a count recorded before the fix: its header holds the hash of its rows as a list.
        var book = new CountBook(store);
        var (record, etag) = (await book.ReadAsync("recorded-before", CancellationToken.None))!.Value;
        var listHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(DocumentJson.Write<IReadOnlyList<CountRow>>(Rows))))[..32];
        await book.ReplaceAsync(record with { ContentHash = listHash }, etag, [], CancellationToken.None);

        var again = await app.StockCount.SubmitAsync(new CountCommand("recorded-before", Rows));
        Assert.Equal((CountState.Completed, 3), (again.Status!.Status, again.Status.Applied));
        await Assert.ThrowsAsync<CountConflictException>(() =>
            app.StockCount.SubmitAsync(new CountCommand("recorded-before", [.. Rows.Take(2), Rows[2] with { CountedQuantity = 4 }])));
    }
}
