using Inventory.Application.Orders;
using Inventory.Domain;
using Inventory.Testing;

namespace Inventory.Core.Tests.Application;

/// <summary>
/// A reservation checks its product is active before writing anything, unless the product was seen active in the last
/// second. When that second is over, the first request to notice looks again and the others meanwhile take the product as
/// still active (the decision refuses an inactive product anyway): 64 requests arriving together at the expiry made 64
/// reads of the hot partition (measured on Azurite, 2026-12-03: 406 reads in 6 s on one product).
/// </summary>
public class AHotProductsActiveCheckExpiresIntoOneReadTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Past_its_age_the_first_caller_looks_again_and_the_others_take_it_as_seen()
    {
        var seen = new RecentlySeen(TimeSpan.FromSeconds(1));
        seen.Add("P", T0);
        var later = T0.AddSeconds(2);

        Assert.False(seen.Contains("P", later));
        Assert.True(seen.Contains("P", later));
        Assert.True(seen.Contains("P", later.AddMilliseconds(999)));
        Assert.False(seen.Contains("Q", later));
        Assert.False(seen.Contains("Q", later)); // never seen: every caller looks
    }

    [Fact]
    public void Forgotten_by_the_caller_that_looked_every_caller_looks_again()
    {
        var seen = new RecentlySeen(TimeSpan.FromSeconds(1));
        seen.Add("P", T0);
        var later = T0.AddSeconds(2);
        Assert.False(seen.Contains("P", later));

        seen.Forget("P");

        Assert.False(seen.Contains("P", later));
        Assert.False(seen.Contains("P", later));
    }

    [Fact]
    public async Task A_product_deactivated_after_it_was_seen_active_is_refused_by_the_check_once_the_second_is_over()
    {
        var clock = new ManualClock(T0);
        var s = StockScenario.Over(new InMemoryDocumentStore(), clock);
        await s.WarehouseAsync("W1");
        await s.LocationAsync("W1", "L1");
        await s.ProductAsync("A");
        await s.StockAsync("A", "L1", 10);
        await s.App.Reserve.ExecuteAsync(new ReserveCommand("O1", [new("A", 1)]));
        await s.App.SaveProduct.ExecuteAsync(new Product { ProductId = "A", Sku = "SKU-A", Name = "A", IsActive = false });
        clock.Advance(TimeSpan.FromSeconds(2));

        // The first looks and finds it inactive; it forgets the product, so the next looks too (nothing written either time).
        await Assert.ThrowsAsync<InvalidStateException>(() => s.App.Reserve.ExecuteAsync(new ReserveCommand("O2", [new("A", 1)])));
        await Assert.ThrowsAsync<InvalidStateException>(() => s.App.Reserve.ExecuteAsync(new ReserveCommand("O3", [new("A", 1)])));
        Assert.Null(await s.App.Orders.FindAsync("O3", default));
        Assert.Equal(1, (await s.App.Stock.GetStockAsync("A")).QuantityReserved);
    }
}
