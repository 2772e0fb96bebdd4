using Inventory.Application;
using Inventory.Application.Stock;
using Inventory.Domain;
using Inventory.Testing;

namespace Inventory.Core.Tests.Application;

/// <summary>
/// Issue 12, defect 5: "A receipt id reused for another product applies". A direct receipt, adjustment or transfer
/// reference is bound to the first product it moved; reused for another product it is refused and writes nothing.
/// </summary>
public class ReferenceReuseTests
{
    private static readonly string[] Products = ["A", "B"];

    public static TheoryData<string> Kinds() => new() { "receive", "adjust", "transfer" };

    private static Task<MovementResult> Run(InventoryApplication app, string kind, string productId, string reference) => kind switch
    {
        "receive" => app.Receive.ExecuteAsync(new ReceiveCommand(productId, "L1", 5, reference)),
        "adjust" => app.Adjust.ExecuteAsync(new AdjustCommand(productId, "L1", -2, null, "damaged", reference)),
        _ => app.Transfer.ExecuteAsync(new TransferCommand(productId, "L1", "L2", 3, reference)),
    };

    private static async Task<(StockScenario S, InMemoryDocumentStore Store)> TwoProductsAsync()
    {
        var store = new InMemoryDocumentStore();
        var s = StockScenario.Over(store);
        await s.WarehouseAsync("W1");
        await s.LocationAsync("W1", "L1");
        await s.LocationAsync("W1", "L2");
        foreach (var p in Products)
        {
            await s.ProductAsync(p);
            await s.StockAsync(p, "L1", 10);
        }
        return (s, store);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task The_same_id_for_another_product_is_a_reference_conflict_and_writes_nothing(string kind)
    {
        var (s, store) = await TwoProductsAsync();
        Assert.False((await Run(s.App, kind, "A", "rid-shared")).Replayed);
        var a = await s.App.Stock.GetStockAsync("A");
        var b = await s.App.Stock.GetStockAsync("B");
        var commits = store.Commits;

        var e = await Assert.ThrowsAsync<ReferenceConflictException>(() => Run(s.App, kind, "B", "rid-shared"));
        Assert.Equal("reference-conflict", e.Code);
        Assert.Equal(commits, store.Commits);
        Assert.Equal(b.Locations, (await s.App.Stock.GetStockAsync("B")).Locations);

        Assert.True((await Run(s.App, kind, "A", "rid-shared")).Replayed); // the first product's replay is still a no-op
        Assert.Equal(a.Locations, (await s.App.Stock.GetStockAsync("A")).Locations);
        Assert.Equal(commits, store.Commits);
        await s.AssertBooksBalanceAsync("A");
        await s.AssertBooksBalanceAsync("B");
    }

    [Fact]
    public async Task Ids_of_different_kinds_do_not_meet_and_a_refused_request_binds_nothing()
    {
        var (s, store) = await TwoProductsAsync();
        await Run(s.App, "receive", "A", "x-1");
        await Run(s.App, "adjust", "B", "x-1"); // an adjustment id is not a receipt id
        var commits = store.Commits;
        await Assert.ThrowsAsync<StockWouldGoNegativeException>(() => s.App.Adjust.ExecuteAsync(new AdjustCommand("A", "L1", -99, null, "lost", "x-2")));
        Assert.Equal(commits, store.Commits);
        await Run(s.App, "adjust", "B", "x-2"); // the refused id was never bound to A
    }

    [Fact]
    public async Task Racing_the_same_id_on_two_products_applies_it_to_exactly_one()
    {
        for (var round = 0; round < 20; round++)
        {
            var (s, _) = await TwoProductsAsync();
            var results = await Task.WhenAll(Products.Select(p => Task.Run(async () =>
            {
                try { await Run(s.App, "receive", p, "rid-race"); return true; }
                catch (ReferenceConflictException) { return false; }
            })));
            Assert.Single(results, r => r);
            var onHand = new List<long>();
            foreach (var p in Products) onHand.Add((await s.App.Stock.GetStockAsync(p)).QuantityOnHand);
            Assert.Equal([10L, 15L], onHand.Order());
        }
    }
}
