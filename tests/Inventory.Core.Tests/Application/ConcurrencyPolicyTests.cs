using Inventory.Application;
using Inventory.Application.Stock;
using Inventory.Domain;
using Inventory.Storage;
using Inventory.Testing;

namespace Inventory.Core.Tests.Application;

/// <summary>
/// Every read-modify-write gives up the same way when it keeps losing races: ConcurrencyExhausted after MaxAttempts
/// attempts, each from a fresh read, with nothing written (issue 11: purchase orders, products and supplies used to
/// surface a raw 409, location loads gave up silently and stock commits had their own loop).
/// </summary>
public sealed class ConcurrencyPolicyTests
{
    private static readonly ConcurrencyOptions Options = new() { MaxAttempts = 4, BaseDelay = TimeSpan.Zero, MaxDelay = TimeSpan.Zero };

    private static async Task<(StockScenario Scenario, InMemoryDocumentStore Store)> SeededAsync(bool coalesce)
    {
        var store = new InMemoryDocumentStore();
        var s = StockScenario.Over(store, concurrency: Options with { Coalesce = coalesce });
        await s.WarehouseAsync("W1");
        await s.LocationAsync("W1", "L1");
        await s.ProductAsync("A");
        await s.StockAsync("A", "L1", 5);
        return (s, store);
    }

    /// <summary>From now on every commit on this collection loses its race, as if another writer always got there first.</summary>
    private static void LoseEveryRace(InMemoryDocumentStore store, Collection collection, List<int> attempts) =>
        store.BeforeCommit = (c, _, _) =>
        {
            if (c != collection) return;
            attempts.Add(store.Reads);
            throw new CommitConflictException(ConflictKind.PreconditionFailed, "x");
        };

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_stock_commit_alone_or_coalesced_gives_up_with_concurrency_exhausted(bool coalesce)
    {
        var (s, store) = await SeededAsync(coalesce);
        var attempts = new List<int>();
        LoseEveryRace(store, Collection.Products, attempts);

        var e = await Assert.ThrowsAsync<ConcurrencyExhaustedException>(() =>
            s.App.Adjust.ExecuteAsync(new AdjustCommand("A", "L1", -1, null, "damaged", "adj-1")));

        Assert.Equal((4, 4), (e.Attempts, attempts.Count));
        Assert.True(attempts.Distinct().Count() == 4, "each attempt reads again");
        Assert.Equal(5, (await s.App.Stock.GetStockAsync("A")).QuantityOnHand);
    }

    [Fact]
    public async Task A_product_save_gives_up_with_concurrency_exhausted()
    {
        var (s, store) = await SeededAsync(false);
        var attempts = new List<int>();
        LoseEveryRace(store, Collection.Products, attempts);

        var e = await Assert.ThrowsAsync<ConcurrencyExhaustedException>(() =>
            s.App.SaveProduct.ExecuteAsync(new Product { ProductId = "A", Sku = "SKU-A", Name = "Renamed" }));

        Assert.Equal(4, e.Attempts);
        Assert.Equal(4, attempts.Count);
    }

    [Fact]
    public async Task A_supply_update_gives_up_with_concurrency_exhausted()
    {
        var (s, store) = await SeededAsync(false);
        var attempts = new List<int>();
        LoseEveryRace(store, Collection.Products, attempts);

        var e = await Assert.ThrowsAsync<ConcurrencyExhaustedException>(() =>
            s.App.Supplies.UpdateAsync("A", supply => supply with { LeadTimes = [new LeadTimeObservation("po-0", "sup-1", 3, DateTimeOffset.UnixEpoch)] }));

        Assert.Equal(4, e.Attempts);
    }

    [Fact]
    public async Task A_purchase_order_update_gives_up_with_concurrency_exhausted()
    {
        var (s, store) = await SeededAsync(false);
        var order = new PurchaseOrder { PoId = "po-1", SupplierId = "sup-1", WarehouseId = "W1", Lines = [new PurchaseOrderLine("A", 3)] };
        await s.App.PurchaseOrders.CreateAsync(order);
        var attempts = new List<int>();
        LoseEveryRace(store, Collection.PurchaseOrders, attempts);

        var e = await Assert.ThrowsAsync<ConcurrencyExhaustedException>(() =>
            s.App.PurchaseOrders.UpdateAsync("po-1", po => po with { SupplierId = "sup-2" }));

        Assert.Equal((4, 4), (e.Attempts, attempts.Count));
        Assert.Equal("sup-1", (await s.App.PurchaseOrders.GetAsync("po-1")).SupplierId);
    }
}
