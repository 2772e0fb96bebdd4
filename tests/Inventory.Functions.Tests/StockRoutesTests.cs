using System.Net;
using Inventory.Functions.Tests.Support;

namespace Inventory.Functions.Tests;

public sealed class StockRoutesTests(LocalHostFactory host) : IClassFixture<LocalHostFactory>
{
    [SkippableFact]
    public async Task Receipts_adjustments_and_transfers_show_in_stock_and_ledger()
    {
        var api = host.Api();
        var s = await LocalHostFactory.SeedAsync(api, "stk-1", pickFace: 10, bulk: 50);

        var adjusted = await api.PostJsonAsync("/api/stock/adjustments",
            $$"""{"adjustmentId":"adj-1","productId":"stk-1","locationId":"{{s.BulkLocation}}","delta":-5,"reasonCode":"damaged"}""");
        Assert.Equal(HttpStatusCode.Created, adjusted.Status);
        var transferred = await api.PostJsonAsync("/api/stock/transfers",
            $$"""{"transferId":"tr-1","productId":"stk-1","fromLocationId":"{{s.BulkLocation}}","toLocationId":"{{s.PickLocation}}","quantity":15}""");
        Assert.Equal(HttpStatusCode.Created, transferred.Status);
        Assert.Equal(2, transferred.Body.GetProperty("balances").GetArrayLength());

        var stock = await api.GetJsonAsync("/api/products/stk-1/stock");
        Assert.Equal(HttpStatusCode.OK, stock.Status);
        Assert.Equal("SKU-stk-1", stock.Body.Str("sku"));
        Assert.Equal(55, stock.Body.Long("quantityOnHand"));
        Assert.Equal(0, stock.Body.Long("quantityReserved"));
        Assert.Equal(55, stock.Body.Long("quantityAvailable"));
        var pick = stock.Body.GetProperty("locations").EnumerateArray().Single(l => l.Str("locationId") == s.PickLocation);
        Assert.Equal(25, pick.Long("quantityOnHand"));
        Assert.Equal(s.WarehouseId, pick.Str("warehouseId"));
        Assert.True(pick.TryGetProperty("lastMovedAt", out _));

        var ledger = await api.GetJsonAsync("/api/products/stk-1/transactions");
        Assert.Equal(5, ledger.Body.GetProperty("entries").GetArrayLength()); // 2 receipts, 1 adjustment, 2 transfer legs
    }

    [SkippableFact]
    public async Task A_replayed_receipt_is_200_and_moves_nothing()
    {
        var api = host.Api();
        var s = await LocalHostFactory.SeedAsync(api, "stk-2", pickFace: 0);
        var body = $$"""{"receiptId":"rc-9","productId":"stk-2","locationId":"{{s.PickLocation}}","quantity":7}""";
        Assert.Equal(HttpStatusCode.Created, (await api.PostJsonAsync("/api/stock/receipts", body)).Status);
        var replay = await api.PostJsonAsync("/api/stock/receipts", body);
        Assert.Equal(HttpStatusCode.OK, replay.Status);
        Assert.True(replay.Body.GetProperty("replayed").GetBoolean());
        Assert.Equal(7, (await api.GetJsonAsync("/api/products/stk-2/stock")).Body.Long("quantityOnHand"));
    }

    [SkippableFact]
    public async Task The_ledger_pages_with_a_continuation_token_newest_first()
    {
        var api = host.Api();
        var s = await LocalHostFactory.SeedAsync(api, "stk-3", pickFace: 0);
        for (var i = 1; i <= 5; i++)
            await api.PostJsonAsync("/api/stock/receipts", $$"""{"receiptId":"rc-{{i}}","productId":"stk-3","locationId":"{{s.PickLocation}}","quantity":{{i}}}""");

        var sequences = new List<long>();
        string? token = null;
        do
        {
            var page = await api.GetJsonAsync($"/api/products/stk-3/transactions?pageSize=2{(token is null ? "" : "&continuationToken=" + token)}");
            Assert.Equal(HttpStatusCode.OK, page.Status);
            Assert.True(page.Body.GetProperty("entries").GetArrayLength() <= 2);
            sequences.AddRange(page.Body.GetProperty("entries").EnumerateArray().Select(e => e.Long("sequence")));
            token = page.Body.TryGetProperty("continuationToken", out var t) ? t.GetString() : null;
        } while (token is not null);
        Assert.Equal([5L, 4, 3, 2, 1], sequences);
    }
}
