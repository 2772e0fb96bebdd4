using System.Net;
using System.Text.Json;
using Inventory.Functions.Tests.Support;
using Microsoft.AspNetCore.Hosting;

namespace Inventory.Functions.Tests.Workflows;

/// <summary>The local host reserving product esc-l in escrow bucket 2 of 4 (settings Escrow:Products, Escrow:Buckets, Escrow:Bucket).</summary>
public sealed class EscrowBucketTwoHost : LocalHostFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Escrow:Products", "esc-l");
        builder.UseSetting("Escrow:Buckets", "4");
        builder.UseSetting("Escrow:Bucket", "2");
    }
}

/// <summary>Issue 14, a ledger entry for every change: the transactions route of a product in escrow lists its bucket's entries, each naming the bucket.</summary>
public sealed class EscrowLedgerRouteTests(EscrowBucketTwoHost host) : IClassFixture<EscrowBucketTwoHost>
{
    [SkippableFact]
    public async Task The_transactions_of_a_product_in_escrow_list_each_orders_reserve_and_release_in_its_bucket_paged()
    {
        var api = host.Api();
        await api.ProductAsync("esc-l", 50);
        await api.PostOkAsync("/api/reservations", new { orderId = "o-esc-1", lines = new[] { new { productId = "esc-l", quantity = 3 } } });
        await api.PostOkAsync("/api/reservations", new { orderId = "o-esc-2", lines = new[] { new { productId = "esc-l", quantity = 2 } } });
        await api.PostOkAsync("/api/reservations/o-esc-2/release", new { });

        var entries = new List<JsonElement>();
        string? token = null;
        do
        {
            var page = await api.GetJsonAsync($"/api/products/esc-l/transactions?pageSize=2{(token is null ? "" : "&continuationToken=" + token)}");
            Assert.Equal(HttpStatusCode.OK, page.Status);
            entries.AddRange(page.Body.GetProperty("entries").EnumerateArray().Select(e => e.Clone()));
            token = page.Body.TryGetProperty("continuationToken", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        } while (token is not null && entries.Count < 100);

        int? Bucket(JsonElement e) => e.TryGetProperty("bucket", out var b) ? b.GetInt32() : null;
        Assert.All(entries, e => Assert.Equal("esc-l", e.Str("productId")));
        var reserved = Assert.Single(entries, e => e.Str("txnType") == "RESERVE" && e.Str("referenceId") == "o-esc-1");
        Assert.Equal((2, 3L), (Bucket(reserved), reserved.Long("quantity")));
        Assert.Equal(2, Bucket(Assert.Single(entries, e => e.Str("txnType") == "RELEASE" && e.Str("referenceId") == "o-esc-2")));
        Assert.Null(Bucket(Assert.Single(entries, e => e.Str("txnType") == "RECEIVE" && e.Str("referenceId") == "seed-esc-l"))); // the product's own
        Assert.Equal(entries.Count, entries.Select(e => (Bucket(e), e.Long("sequence"))).Distinct().Count());
        Assert.Equal(entries.OrderByDescending(e => e.GetProperty("createdAt").GetDateTimeOffset()).Select(e => e.Str("txnId")), entries.Select(e => e.Str("txnId")));
    }
}
