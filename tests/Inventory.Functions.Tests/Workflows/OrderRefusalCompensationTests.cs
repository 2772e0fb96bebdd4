using System.Net;
using Inventory.Functions.Tests.Support;

namespace Inventory.Functions.Tests.Workflows;

/// <summary>
/// Issue 12, defect 2: a multi-product order is all or nothing whatever refuses it, not only a shortage. The products
/// reserved before the refusal are given back before the answer, and a retry gets the same terminal answer.
/// </summary>
public sealed class OrderRefusalCompensationTests(LocalHostFactory host) : IClassFixture<LocalHostFactory>
{
    [SkippableFact]
    public async Task A_product_too_spread_for_one_transaction_leaves_no_earlier_product_reserved()
    {
        var api = host.Api();
        await api.ProductAsync("cmp-a1", 10);
        // cmp-z1 holds one unit in each of 100 locations, more than the head holds, so each balance is its own document:
        // reserving 100 would write 100 balances, the head, the reservation and its entries' ledger packs at once.
        await api.PutAsync("/api/warehouses/wh-cmp-z1", new { name = "Spread" });
        await api.PutAsync("/api/products/cmp-z1", new { sku = "SKU-cmp-z1", name = "Spread" });
        for (var i = 0; i < 100; i++)
        {
            await api.PutAsync($"/api/warehouses/wh-cmp-z1/locations/z1-{i:D2}", new { type = "BULK" });
            await api.PostOkAsync("/api/stock/receipts", new { receiptId = $"seed-{i}", productId = "cmp-z1", locationId = $"z1-{i:D2}", quantity = 1 });
        }

        var first = await api.ReserveAsync("cmp-order-1", ("cmp-a1", 1), ("cmp-z1", 100));
        Assert.True((int)first.Status is >= 400 and < 500, $"expected a refusal, got {(int)first.Status} {first.Body}");
        Assert.Equal(0, await api.ReservedAsync("cmp-a1"));
        Assert.Equal(0, await api.ReservedAsync("cmp-z1"));

        var retry = await api.ReserveAsync("cmp-order-1", ("cmp-a1", 1), ("cmp-z1", 100));
        Assert.Equal(first.Status, retry.Status);
        Assert.Equal(0, await api.ReservedAsync("cmp-a1"));
    }

    [SkippableFact]
    public async Task A_product_deactivated_a_moment_ago_leaves_no_earlier_product_reserved()
    {
        var api = host.Api();
        await api.ProductAsync("cmp-a2", 10);
        await api.ProductAsync("cmp-z2", 10);
        // Seen active a moment ago (the reservation path remembers it for a second), then deactivated.
        Assert.Equal(HttpStatusCode.Created, (await api.ReserveAsync("cmp-warm", ("cmp-z2", 1))).Status);
        await api.PutAsync("/api/products/cmp-z2", new { sku = "SKU-cmp-z2", name = "P cmp-z2", isActive = false });

        var refused = await api.ReserveAsync("cmp-order-2", ("cmp-a2", 1), ("cmp-z2", 1));
        Assert.True((int)refused.Status is >= 400 and < 500, $"expected a refusal, got {(int)refused.Status} {refused.Body}");
        Assert.Equal(0, await api.ReservedAsync("cmp-a2"));
        Assert.Equal(1, await api.ReservedAsync("cmp-z2")); // only the warm-up order
    }
}
