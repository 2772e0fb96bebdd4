using System.Net;
using Inventory.Functions.Tests.Support;

namespace Inventory.Functions.Tests.Workflows;

/// <summary>
/// Issue 12, defect 5: "A receipt id reused for another product applies". A direct receipt, adjustment or transfer id
/// is bound to the product it was first used for: the same id for another product is 409 reference-conflict and that
/// product is unchanged, while the same request replayed to the first product is still a no-op 200.
/// </summary>
public sealed class ReferenceReuseTests(LocalHostFactory host) : IClassFixture<LocalHostFactory>
{
    [SkippableTheory]
    [InlineData("receipts")]
    [InlineData("adjustments")]
    [InlineData("transfers")]
    public async Task An_id_reused_for_another_product_is_a_reference_conflict_and_changes_nothing_there(string route)
    {
        var api = host.Api();
        var (a, b) = ($"ref-{route}-a", $"ref-{route}-b");
        await LocalHostFactory.SeedAsync(api, a, pickFace: 10, bulk: 10);
        await LocalHostFactory.SeedAsync(api, b, pickFace: 10, bulk: 10);
        var id = $"rid-shared-{route}";
        string Body(string productId) => route switch
        {
            "receipts" => $$"""{"receiptId":"{{id}}","productId":"{{productId}}","locationId":"{{productId}}-pick","quantity":5}""",
            "adjustments" => $$"""{"adjustmentId":"{{id}}","productId":"{{productId}}","locationId":"{{productId}}-pick","delta":-2,"reasonCode":"damaged"}""",
            _ => $$"""{"transferId":"{{id}}","productId":"{{productId}}","fromLocationId":"{{productId}}-bulk","toLocationId":"{{productId}}-pick","quantity":3}""",
        };

        var first = await api.PostJsonAsync($"/api/stock/{route}", Body(a));
        Assert.True(first.Status is HttpStatusCode.OK or HttpStatusCode.Created, $"{(int)first.Status} {first.Body}");
        var aAfter = (await api.StockAsync(a)).ToString();
        var bBefore = (await api.StockAsync(b)).ToString();
        var bLedger = (await api.GetJsonAsync($"/api/products/{b}/transactions")).Body.ToString();

        var reused = await api.PostJsonAsync($"/api/stock/{route}", Body(b));
        Http.AssertProblem(reused, HttpStatusCode.Conflict, "reference-conflict");
        Assert.Equal(bBefore, (await api.StockAsync(b)).ToString());
        Assert.Equal(bLedger, (await api.GetJsonAsync($"/api/products/{b}/transactions")).Body.ToString());

        var replay = await api.PostJsonAsync($"/api/stock/{route}", Body(a));
        Assert.Equal(HttpStatusCode.OK, replay.Status);
        Assert.Equal(aAfter, (await api.StockAsync(a)).ToString());
    }
}
