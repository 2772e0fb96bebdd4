using Inventory.Application.Lists;
using Inventory.Application.Orders;
using Inventory.Application.Purchasing;
using Inventory.Domain;
using Inventory.Testing;

namespace Inventory.Core.Tests.Application;

/// <summary>Issue 15: the lists an operator needs without knowing ids in advance, paged like the ledger.</summary>
public class OperatorListTests
{
    private readonly StockScenario s = StockScenario.Over(new InMemoryDocumentStore());

    private async Task ProductAsync(string id, long reorderPoint = 0, string? category = null, bool active = true) =>
        await s.App.SaveProduct.ExecuteAsync(new Product
        {
            ProductId = id, Sku = "SKU-" + id, Name = "Product " + id, ReorderPoint = reorderPoint, CategoryId = category, IsActive = active,
        });

    private static async Task<List<T>> AllAsync<T>(Func<string?, Task<ListPage<T>>> page)
    {
        var all = new List<T>();
        string? token = null;
        var calls = 0;
        do
        {
            var p = await page(token);
            all.AddRange(p.Items);
            token = p.ContinuationToken;
        } while (token is not null && ++calls < 100);
        return all;
    }

    [Fact]
    public async Task Products_are_listed_in_pages_and_filtered_by_category_active_flag_and_sku()
    {
        for (var i = 0; i < 7; i++) await ProductAsync($"p{i}", category: i % 2 == 0 ? "even" : "odd", active: i != 4);
        var all = await AllAsync(t => s.App.ProductList.ListAsync(new ProductFilter(), 3, t));
        // Bucket by bucket of the catalogue index (issue 17), so each product once but not in id order.
        Assert.Equal(Enumerable.Range(0, 7).Select(i => $"p{i}"), all.Select(p => p.ProductId).Order(StringComparer.Ordinal));

        var evenActive = await AllAsync(t => s.App.ProductList.ListAsync(new ProductFilter(CategoryId: "even", IsActive: true), 2, t));
        Assert.Equal(["p0", "p2", "p6"], evenActive.Select(p => p.ProductId).Order(StringComparer.Ordinal));

        var bySku = await s.App.ProductList.ListAsync(new ProductFilter(Sku: "SKU-p5"));
        Assert.Equal("p5", Assert.Single(bySku.Items).ProductId);
        Assert.Null(bySku.ContinuationToken);
        Assert.Empty((await s.App.ProductList.ListAsync(new ProductFilter(Sku: "SKU-none"))).Items);
    }

    [Fact]
    public async Task Low_stock_means_available_at_or_below_the_reorder_point()
    {
        await s.WarehouseAsync("w");
        await s.LocationAsync("w", "l1");
        foreach (var (id, point, stock) in new[] { ("at", 10L, 10L), ("below", 10L, 3L), ("above", 10L, 11L), ("none", 5L, 0L) })
        {
            await ProductAsync(id, point);
            if (stock > 0) await s.StockAsync(id, "l1", stock);
        }
        await s.App.Reserve.ExecuteAsync(new ReserveCommand("o1", [new OrderLine("above", 2)], null, ReservationPolicy.AllOrNothing, null, "t"));

        var low = await AllAsync(t => s.App.ProductList.ListAsync(new ProductFilter(LowStock: true), 100, t));
        Assert.Equal(["above", "at", "below", "none"], low.Select(p => p.ProductId).Order(StringComparer.Ordinal));
        Assert.Equal(9, low.Single(p => p.ProductId == "above").QuantityAvailable);
        Assert.Equal(2, low.Single(p => p.ProductId == "above").QuantityReserved);
    }

    [Fact]
    public async Task A_location_lists_every_product_it_holds_with_on_hand_reserved_and_available()
    {
        await s.WarehouseAsync("w");
        await s.LocationAsync("w", "bin-a");
        await s.LocationAsync("w", "bin-b");
        await ProductAsync("x");
        await ProductAsync("y");
        await s.StockAsync("x", "bin-a", 5);
        await s.StockAsync("y", "bin-a", 7);
        await s.StockAsync("y", "bin-b", 1);
        await s.App.Reserve.ExecuteAsync(new ReserveCommand("o1", [new OrderLine("y", 8)], null, ReservationPolicy.AllOrNothing, null, "t"));

        var items = await AllAsync(t => s.App.LocationContents.ListAsync("w", "bin-a", 1, t));
        Assert.Equal(["x", "y"], items.Select(i => i.ProductId));
        var y = items[1];
        Assert.Equal(("SKU-y", 7L, 7L, 0L), (y.Sku, y.QuantityOnHand, y.QuantityReserved, y.QuantityAvailable));

        await Assert.ThrowsAsync<LocationNotFoundException>(() => s.App.LocationContents.ListAsync("w", "bin-z"));
        await Assert.ThrowsAsync<WarehouseNotFoundException>(() => s.App.LocationContents.ListAsync("nowhere", "bin-a"));
    }

    [Fact]
    public async Task A_products_reservations_are_listed_by_status()
    {
        await s.WarehouseAsync("w");
        await s.LocationAsync("w", "l1");
        await ProductAsync("p");
        await s.StockAsync("p", "l1", 100);
        foreach (var order in new[] { "o1", "o2", "o3" })
            await s.App.Reserve.ExecuteAsync(new ReserveCommand(order, [new OrderLine("p", 5)], null, ReservationPolicy.AllOrNothing, null, "t"));
        await s.App.Release.ExecuteAsync(new ReservationChangeCommand("o2", null, null, "t"));

        var active = await AllAsync(t => s.App.ProductReservations.ListAsync("p", ReservationStatus.Active, 1, t));
        Assert.Equal(["o1", "o3"], active.Select(r => r.OrderId));
        Assert.All(active, r => Assert.Equal(5, r.Remaining));
        var released = (await s.App.ProductReservations.ListAsync("p", ReservationStatus.Released)).Items;
        Assert.Equal("o2", Assert.Single(released).OrderId);
        Assert.Equal(3, (await s.App.ProductReservations.ListAsync("p", null)).Items.Count);
        await Assert.ThrowsAsync<ProductNotFoundException>(() => s.App.ProductReservations.ListAsync("nope", null));
    }

    [Fact]
    public async Task Purchase_orders_are_filtered_by_status_supplier_and_product()
    {
        await s.WarehouseAsync("w");
        await ProductAsync("a");
        await ProductAsync("b");
        var date = new DateOnly(2030, 1, 1);
        await s.App.CreatePurchaseOrder.ExecuteAsync(new CreatePurchaseOrderCommand("PO-1", "acme", "w", date, [new OrderLine("a", 5)]));
        await s.App.CreatePurchaseOrder.ExecuteAsync(new CreatePurchaseOrderCommand("PO-2", "acme", "w", date, [new OrderLine("b", 5)]));
        await s.App.CreatePurchaseOrder.ExecuteAsync(new CreatePurchaseOrderCommand("PO-3", "globex", "w", date, [new OrderLine("a", 1), new OrderLine("b", 1)]));
        await s.App.ChangePurchaseOrderStatus.ExecuteAsync("PO-2", PurchaseOrderAction.Send);

        async Task<string[]> Ids(PurchaseOrderFilter f) => (await AllAsync(t => s.App.PurchaseOrderList.ListAsync(f, 1, t))).Select(p => p.PoId).ToArray();
        Assert.Equal(["PO-1", "PO-2", "PO-3"], await Ids(new PurchaseOrderFilter()));
        Assert.Equal(["PO-1", "PO-3"], await Ids(new PurchaseOrderFilter(Status: PurchaseOrderStatus.Draft)));
        Assert.Equal(["PO-1", "PO-2"], await Ids(new PurchaseOrderFilter(SupplierId: "acme")));
        Assert.Equal(["PO-2", "PO-3"], await Ids(new PurchaseOrderFilter(ProductId: "b")));
        Assert.Equal(["PO-2"], await Ids(new PurchaseOrderFilter(PurchaseOrderStatus.Sent, "acme", "b")));
    }

    [Fact]
    public async Task A_page_never_exceeds_its_size_and_a_rare_match_costs_a_bounded_number_of_store_calls()
    {
        var store = new CountingStore(new InMemoryDocumentStore());
        var app = new Inventory.Testing.InventoryApplication(store);
        for (var i = 0; i < 50; i++)
            await app.SaveProduct.ExecuteAsync(new Product { ProductId = $"p{i:D2}", Sku = $"S{i}", Name = "n", CategoryId = i == 49 ? "rare" : "common" });
        store.Reset();
        var page = await app.ProductList.ListAsync(new ProductFilter(CategoryId: "rare"), 2);
        if (page.Items.Count == 0) Assert.NotNull(page.ContinuationToken); // a rare match may take several pages
        // At most 10 queries of the index, plus one per bucket (an empty bucket costs a query); rows the filter
        // refuses on the index cost no read of their product.
        Assert.InRange(store.Calls("Query", Inventory.Storage.Collection.Catalog), 1, 10 + Inventory.Application.Catalog.CatalogIndex.Buckets);
        Assert.Equal(page.Items.Count, store.Calls("Read", Inventory.Storage.Collection.Products));
        var rest = await AllAsync(t => app.ProductList.ListAsync(new ProductFilter(CategoryId: "rare"), 2, t ?? page.ContinuationToken));
        Assert.Equal("p49", Assert.Single(page.ContinuationToken is null ? page.Items : [.. page.Items, .. rest]).ProductId);
        var common = await app.ProductList.ListAsync(new ProductFilter(CategoryId: "common"), 7);
        Assert.Equal(7, common.Items.Count);
    }

    [Fact]
    public async Task Bad_paging_and_filter_values_are_refused_by_field()
    {
        var e = await Assert.ThrowsAsync<ValidationException>(() => s.App.ProductList.ListAsync(new ProductFilter(CategoryId: "bad id"), 0));
        Assert.Equal(["categoryId", "pageSize"], e.Errors.Select(x => x.Field).Order());
        await Assert.ThrowsAsync<ValidationException>(() => s.App.WarehouseList.ListAsync(1001));
    }
}
