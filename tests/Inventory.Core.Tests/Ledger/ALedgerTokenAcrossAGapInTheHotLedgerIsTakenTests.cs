using Inventory.Application;
using Inventory.Application.Stock;
using Inventory.Domain;
using Inventory.Storage;
using Inventory.Testing;

namespace Inventory.Core.Tests.Ledger;

/// <summary>
/// Found in review: ledger tokens are now refused when "the first pending document holds the entry below the last one
/// taken" does not hold (<c>LedgerPosition.Parse</c>: below &gt; pending[0] + 1). That assumes the hot ledger is gapless,
/// which it is not when entries are missing from it (the gap archival refuses to hide and the full audit is to report;
/// an older part left half deleted below a newer one). A page that fills exactly at the document above the gap names the
/// document below it as pending: the service issues that token, then answers the next page 400, so the ledger can no
/// longer be listed (nor audited) past the gap.
/// </summary>
public sealed class ALedgerTokenAcrossAGapInTheHotLedgerIsTakenTests
{
    [Fact]
    public async Task A_page_ending_at_the_document_above_a_gap_gives_a_token_the_next_page_takes()
    {
        var memory = new InMemoryDocumentStore();
        var app = new InventoryApplication(memory);
        var s = new StockScenario(app);
        await s.WarehouseAsync("W1");
        await s.LocationAsync("W1", "L1");
        await s.LocationAsync("W1", "L2");
        await s.ProductAsync("A");
        await app.Receive.ExecuteAsync(new ReceiveCommand("A", "L1", 1000, "opening"));
        // Entries 2..71 two a document (transfers), 72..101 one a document (adjustments).
        for (var i = 1; i <= 35; i++) await app.Transfer.ExecuteAsync(new TransferCommand("A", "L1", "L2", 2, $"t-{i}"));
        for (var i = 1; i <= 30; i++) await app.Adjust.ExecuteAsync(new AdjustCommand("A", "L1", 1, null, "count", $"a-{i}"));

        // Entries 42..61 missing from the hot ledger (their documents gone).
        var docs = (await memory.QueryAsync(Collection.Products, "A", ProductPartitionIds.LedgerPrefix, 1000, null)).Documents;
        var gone = docs.Where(d => ProductPartitionIds.LedgerSequence(d.Id) is > 41 and <= 61).ToArray();
        Assert.Equal(10, gone.Length);
        await memory.CommitAsync(Collection.Products, "A", gone.Select(d => (DocumentWrite)new DocumentWrite.Delete(d.Id, d.ETag)).ToArray());

        var listed = new List<long>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await app.Stock.GetLedgerAsync("A", 40, token); // tokens as issued: never a 400
            listed.AddRange(page.Entries.Select(e => e.Sequence));
            token = page.ContinuationToken;
        } while (token is not null && ++pages < 20);
        Assert.Equal(Enumerable.Range(1, 101).Select(n => (long)n).Where(n => n is <= 41 or > 61).OrderDescending(), listed);
    }
}
