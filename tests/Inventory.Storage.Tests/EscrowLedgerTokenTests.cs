using Inventory.Application;
using Inventory.Application.Escrow;
using Inventory.Application.Orders;
using Inventory.Domain;
using Inventory.Storage.Tables;
using Inventory.Testing;
using Xunit.Abstractions;

namespace Inventory.Storage.Tests;

/// <summary>
/// Issue 14: the transactions route's token of a product in escrow holds a store position for its own ledger and for
/// each bucket's. Table Storage's own tokens are long (the query's filter and both keys),
/// and with the most buckets the token once passed what a request line holds (20 KB on the wire against Kestrel's
/// 8 KB, less behind some proxies): the next page could not be asked for. Positions are now by sequence.
/// </summary>
public class EscrowLedgerTokenTests(ITestOutputHelper output) : IAsyncLifetime
{
    /// <summary>What the token may take of a request line at the most buckets, on the wire: a quarter of Kestrel's 8 KB.</summary>
    private const int MaxTokenLength = 2048;

    /// <summary>The route sends the token base64url (<c>PageToken</c>): four characters for three.</summary>
    private static int OnTheWire(string token) => System.Buffers.Text.Base64Url.GetEncodedLength(System.Text.Encoding.UTF8.GetByteCount(token));
    private TableDocumentStore store = null!;

    public async Task InitializeAsync() => store = await AzuriteTables.CreateStoreAsync();

    public Task DisposeAsync() => AzuriteTables.DropAsync(store);

    [Fact]
    public async Task A_product_with_the_most_buckets_pages_its_ledger_with_tokens_a_request_line_holds()
    {
        var s = StockScenario.Over(store);
        await s.WarehouseAsync("W1");
        await s.LocationAsync("W1", "L1");
        await s.ProductAsync("P");
        await s.StockAsync("P", "L1", 10_000);
        for (var b = 1; b <= EscrowOptions.MaxBuckets; b++)
        {
            var instance = new InventoryApplication(store)
            {
                EscrowOptions = new EscrowOptions { Products = new HashSet<string>(StringComparer.Ordinal) { "P" }, Buckets = EscrowOptions.MaxBuckets, Bucket = b },
            };
            await instance.Reserve.ExecuteAsync(new ReserveCommand($"o{b}", [new("P", 1)]));
        }

        var listed = new List<LedgerEntry>();
        var longest = 0;
        string? token = null;
        var pages = 0;
        do
        {
            var page = await s.App.Stock.GetLedgerAsync("P", 7, token);
            listed.AddRange(page.Entries);
            token = page.ContinuationToken;
            longest = Math.Max(longest, token is null ? 0 : OnTheWire(token));
            Assert.True(++pages < 200, "the listing never ends");
        } while (token is not null);

        output.WriteLine($"{pages} pages, {listed.Count} entries, longest token on the wire {longest} characters");
        Assert.All(Enumerable.Range(1, EscrowOptions.MaxBuckets), b =>
            Assert.Single(listed, e => e.TxnType == TxnType.Reserve && e.ReferenceId == $"o{b}" && e.ProductId == new EscrowBucket("P", b).Partition));
        Assert.Equal(listed.Count, listed.Select(e => (e.ProductId, e.Sequence)).Distinct().Count());
        Assert.InRange(longest, 1, MaxTokenLength);
    }
}
