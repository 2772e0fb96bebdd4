using Inventory.Application;
using Inventory.Domain;
using Inventory.Storage;
using Inventory.Testing;

namespace Inventory.Core.Tests.Application;

/// <summary>
/// A SKU's claim is taken over only once it is stale: its product does not carry the SKU and it is older than
/// <see cref="SkuClaims.StaleAfter"/>. And a rename back to a SKU never loses the claim to the rename that gave it up.
/// </summary>
public class SkuClaimLifetimeTests
{
    private sealed class Crash : Exception;

    private static Product Product(string id, string sku) => new() { ProductId = id, Sku = sku, Name = "Product " + id };

    [Fact]
    public async Task A_claim_left_by_a_save_that_died_is_refused_while_young_and_taken_over_once_stale()
    {
        var store = new InMemoryDocumentStore();
        var clock = new ManualClock(new DateTimeOffset(2026, 3, 1, 8, 0, 0, TimeSpan.Zero));
        var app = new InventoryApplication(store, clock);
        store.BeforeCommit = (c, p, _) => { if (c == Collection.Products && p == "GHOST") throw new Crash(); };
        await Assert.ThrowsAsync<Crash>(() => app.SaveProduct.ExecuteAsync(Product("GHOST", "S")));
        store.BeforeCommit = null;

        var young = await Assert.ThrowsAsync<DuplicateSkuException>(() => app.SaveProduct.ExecuteAsync(Product("B", "S")));
        Assert.Equal("GHOST", young.OwnerProductId);

        clock.Advance(SkuClaims.StaleAfter + TimeSpan.FromMinutes(1));
        await app.SaveProduct.ExecuteAsync(Product("B", "S"));
        Assert.Equal("B", (await app.Catalog.FindProductBySkuAsync("S"))?.ProductId);
    }

    [Fact]
    public async Task A_claim_written_before_claims_recorded_their_time_is_taken_over_when_its_product_gave_the_sku_up()
    {
        var store = new InMemoryDocumentStore();
        var app = new InventoryApplication(store);
        await app.SaveProduct.ExecuteAsync(Product("A", "S2"));
        // An older build's claim of S1, left by A's rename to S2 (its drop lost): no time recorded.
        await store.CommitAsync(Collection.Skus, "S1", [new DocumentWrite.Create("sku", """{"sku":"S1","productId":"A"}""")]);

        await app.SaveProduct.ExecuteAsync(Product("B", "S1"));
        Assert.Equal("B", (await app.Catalog.FindProductBySkuAsync("S1"))?.ProductId);
    }

    [Fact]
    public async Task A_rename_back_racing_the_rename_it_undoes_keeps_the_skus_claim()
    {
        var memory = new InMemoryDocumentStore();
        var setup = new InventoryApplication(memory);
        await setup.SaveProduct.ExecuteAsync(Product("A", "S1"));

        // A: S1 → S2 writes the product, then stalls before dropping S1's claim.
        var gate = new GateFirstCommit(memory, Collection.Skus, "S1");
        var away = new InventoryApplication(gate).SaveProduct.ExecuteAsync(Product("A", "S2"));
        await gate.Reached.Task;
        // Meanwhile (another instance) A is renamed back to S1, to the end.
        await new InventoryApplication(memory).SaveProduct.ExecuteAsync(Product("A", "S1"));
        gate.Release.SetResult();
        await away;

        Assert.Equal("S1", (await setup.Catalog.GetProductAsync("A")).Sku);
        Assert.Equal("A", (await setup.Catalog.FindProductBySkuAsync("S1"))?.ProductId);
        var taken = await Assert.ThrowsAsync<DuplicateSkuException>(() => setup.SaveProduct.ExecuteAsync(Product("B", "S1")));
        Assert.Equal("A", taken.OwnerProductId);
    }
}
