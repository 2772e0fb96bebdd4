using Inventory.Application;
using Inventory.Application.Catalog;
using Inventory.Application.Lists;
using Inventory.Application.Replenishment;
using Inventory.Application.Stock;
using Inventory.Core.Tests.Replenishment;
using Inventory.Domain;
using Inventory.Storage;
using Inventory.Testing;

namespace Inventory.Core.Tests.Application;

/// <summary>
/// Issue 17: the nightly scan and the product list walk the catalogue index, so their cost follows the number of
/// products, not the history in their partitions; a save writes the index row first, and a crash never hides a product
/// nor lists one that does not exist.
/// </summary>
public class CatalogIndexTests
{
    private sealed class Crash : Exception;

    private static Product P(string id, string? category = null) => new()
    {
        ProductId = id, Sku = "SKU-" + id, Name = id, CategoryId = category, ReorderPoint = 10, ReorderQuantity = 50, LeadTimeDays = 5,
        AutoReplenish = true, PreferredSupplierId = "SUP-1",
    };

    private static async Task<List<ProductSummary>> ListAllAsync(InventoryApplication app, ProductFilter? filter = null, int pageSize = 5)
    {
        var all = new List<ProductSummary>();
        string? token = null;
        var calls = 0;
        do
        {
            var page = await app.ProductList.ListAsync(filter ?? new ProductFilter(), pageSize, token);
            all.AddRange(page.Items);
            token = page.ContinuationToken;
        } while (token is not null && ++calls < 1000);
        Assert.Null(token);
        return all;
    }

    private static async Task<List<IndexedProduct>> RowsAsync(CatalogIndex index)
    {
        var rows = new List<IndexedProduct>();
        string? token = null;
        do
        {
            var page = await index.ReadAsync(100, token, default);
            rows.AddRange(page.Rows);
            token = page.ContinuationToken;
        } while (token is not null);
        return rows;
    }

    [Fact]
    public async Task The_scan_and_the_list_read_index_rows_and_one_read_per_product_whatever_the_history()
    {
        var counting = new CountingStore(new InMemoryDocumentStore());
        var r = await ReplenishmentScenario.CreateAsync(counting, pageSize: 7);
        for (var i = 0; i < 20; i++)
        {
            await r.ProductAsync($"P{i:D2}", stock: 1000);
            // Half of the products carry a long history: ledger entries and operation records in their partition.
            if (i % 2 == 0)
                for (var h = 0; h < 30; h++) await r.App.Receive.ExecuteAsync(new ReceiveCommand($"P{i:D2}", "L1", 1, $"history-{i}-{h}"));
        }

        counting.Reset();
        var run = await r.App.ReplenishmentScan.ExecuteAsync(runId: "count");
        Assert.Equal((RunStatus.Completed, 20L, 0L), (run.Status, run.Scanned, run.OrdersCreated));
        AssertOnlyIndexAndPointReads(counting, productReads: 20);
        Assert.Equal(20, counting.Documents("Query", Collection.Catalog));
        // Product and state (the newest ledger document's: the balances and demand) per product: the 600 ledger entries and
        // operation records are never read.
        Assert.Equal(20, counting.Documents("Read", Collection.Products));

        counting.Reset();
        Assert.Equal(20, (await ListAllAsync(r.App)).Count);
        AssertOnlyIndexAndPointReads(counting, productReads: 20);
        Assert.Equal(20, counting.Documents("Read", Collection.Products)); // the product; its state (with the balance) from the query

        // A filter on the index costs a product read only for the rows that pass it.
        await r.App.SaveProduct.ExecuteAsync(P("P03", category: "rare"));
        counting.Reset();
        Assert.Equal(["P03"], (await ListAllAsync(r.App, new ProductFilter(CategoryId: "rare"))).Select(p => p.ProductId));
        AssertOnlyIndexAndPointReads(counting, productReads: 1);
    }

    /// <summary>
    /// Per product one point read (the product, guarded by the ledger document its next commit creates) and one query of a
    /// single document, its newest ledger document, where its state (balances, demand) is: nothing else of its partition,
    /// whatever its history. A store may answer a query's page empty with a token (InMemoryDocumentStore.ShortPages, every
    /// third), which the read follows: calls up to twice the products, documents exactly one each.
    /// </summary>
    private static void AssertOnlyIndexAndPointReads(CountingStore counting, int productReads)
    {
        Assert.Equal(0, counting.Calls("ListPartitions"));
        Assert.Equal(0, counting.Calls("QueryAcrossPartitions"));
        Assert.Equal(productReads, counting.Documents("Query", Collection.Products));
        Assert.Equal(productReads, counting.DocumentsReadWithPrefix(ProductPartitionIds.LedgerPrefix));
        Assert.InRange(counting.Calls("Query", Collection.Products), productReads, 2 * productReads);
        Assert.Equal(productReads, counting.Calls("Read", Collection.Products));
        // The scan also queries its own partition of Runs: the few runs left running (ReplenishmentRuns.AbandonStaleAsync).
        Assert.Equal(counting.Calls("Query"),
            counting.Calls("Query", Collection.Catalog) + counting.Calls("Query", Collection.Runs) + counting.Calls("Query", Collection.Products));
    }

    [Fact]
    public async Task A_product_whose_save_died_between_its_index_row_and_its_document_is_listed_only_once_it_exists()
    {
        var store = new InMemoryDocumentStore();
        var r = await ReplenishmentScenario.CreateAsync(store, pageSize: 3);
        for (var i = 0; i < 5; i++) await r.ProductAsync($"A{i}", stock: 1000);

        store.BeforeCommit = (c, p, _) => { if (c == Collection.Products && p == "NEW") throw new Crash(); };
        await Assert.ThrowsAsync<Crash>(() => r.App.SaveProduct.ExecuteAsync(P("NEW")));
        store.BeforeCommit = null;

        Assert.Contains(await RowsAsync(r.App.CatalogIndex), row => row.Entry.ProductId == "NEW" && row.Entry.Pending); // the intent is there
        Assert.DoesNotContain("NEW", (await ListAllAsync(r.App)).Select(p => p.ProductId));
        Assert.Empty((await r.App.ProductList.ListAsync(new ProductFilter(Sku: "SKU-NEW"))).Items);
        var run = await r.App.ReplenishmentScan.ExecuteAsync(runId: "before");
        Assert.Equal((5L, 1L, 0L), (run.Scanned, run.RowsWithoutProduct, run.Errors));

        await r.App.SaveProduct.ExecuteAsync(P("NEW")); // the client's retry
        Assert.Single(await ListAllAsync(r.App), p => p.ProductId == "NEW");
        Assert.Equal(6, (await ListAllAsync(r.App, pageSize: 1)).Count);
        var after = await r.App.ReplenishmentScan.ExecuteAsync(runId: "after");
        Assert.Equal((6L, 0L), (after.Scanned, after.RowsWithoutProduct));
        Assert.False(Assert.Single(await RowsAsync(r.App.CatalogIndex), row => row.Entry.ProductId == "NEW").Entry.Pending);
    }

    [Fact]
    public async Task A_save_that_dies_on_either_side_of_the_product_document_never_hides_the_product_from_its_filter()
    {
        var store = new InMemoryDocumentStore();
        var r = await ReplenishmentScenario.CreateAsync(store);
        await r.App.SaveProduct.ExecuteAsync(P("X", category: "old"));
        async Task<string[]> In(string category) => [.. (await ListAllAsync(r.App, new ProductFilter(CategoryId: category))).Select(p => p.ProductId)];

        // Dies before the product document: the row says "new", the product still says "old".
        store.BeforeCommit = (c, p, _) => { if (c == Collection.Products && p == "X") throw new Crash(); };
        await Assert.ThrowsAsync<Crash>(() => r.App.SaveProduct.ExecuteAsync(P("X", category: "new")));
        store.BeforeCommit = null;
        Assert.Equal(["X"], await In("old"));
        Assert.Empty(await In("new"));

        // Dies after the product document, before the row is confirmed: the product says "new".
        store.AfterCommit = (c, p, _) => { if (c == Collection.Products && p == "X") throw new Crash(); };
        await Assert.ThrowsAsync<Crash>(() => r.App.SaveProduct.ExecuteAsync(P("X", category: "new")));
        store.AfterCommit = null;
        Assert.Equal(["X"], await In("new"));
        Assert.Empty(await In("old"));
        Assert.True(Assert.Single(await RowsAsync(r.App.CatalogIndex)).Entry.Pending);

        // The nightly scan confirms a pending row that its product now matches.
        await r.App.ReplenishmentScan.ExecuteAsync(runId: "repair");
        var row = Assert.Single(await RowsAsync(r.App.CatalogIndex)).Entry;
        Assert.Equal((false, "new"), (row.Pending, row.CategoryId));
    }

    [Fact]
    public async Task A_row_left_by_a_creation_that_died_is_removed_by_the_scan_only_once_stale()
    {
        var store = new InMemoryDocumentStore();
        var r = await ReplenishmentScenario.CreateAsync(store);
        store.BeforeCommit = (c, p, _) => { if (c == Collection.Products && p == "GHOST") throw new Crash(); };
        await Assert.ThrowsAsync<Crash>(() => r.App.SaveProduct.ExecuteAsync(P("GHOST")));
        store.BeforeCommit = null;

        await r.App.ReplenishmentScan.ExecuteAsync(runId: "soon");
        Assert.Single(await RowsAsync(r.App.CatalogIndex)); // its save may still be running: kept
        r.Clock.Advance(CatalogIndex.StaleAfter + TimeSpan.FromMinutes(1));
        var run = await r.App.ReplenishmentScan.ExecuteAsync(runId: "later");
        Assert.Equal(1, run.RowsWithoutProduct);
        Assert.Empty(await RowsAsync(r.App.CatalogIndex));
    }

    [Fact]
    public async Task Concurrent_saves_of_one_product_leave_a_confirmed_row_that_describes_it()
    {
        var r = await ReplenishmentScenario.CreateAsync();
        await r.App.SaveProduct.ExecuteAsync(P("HOT", category: "c0"));
        await Task.WhenAll(Enumerable.Range(1, 8).Select(i => Task.Run(() => r.App.SaveProduct.ExecuteAsync(P("HOT", category: $"c{i}")))));

        var truth = await r.App.Catalog.GetProductAsync("HOT");
        var row = Assert.Single(await RowsAsync(r.App.CatalogIndex)).Entry;
        Assert.True(row.Describes(truth));
        Assert.False(row.Pending);
        Assert.Equal(["HOT"], (await ListAllAsync(r.App, new ProductFilter(CategoryId: truth.CategoryId))).Select(p => p.ProductId));
    }

    [Fact]
    public async Task The_backfill_indexes_products_saved_before_the_index_and_writes_nothing_the_second_time()
    {
        var store = new InMemoryDocumentStore();
        var r = await ReplenishmentScenario.CreateAsync(store);
        for (var i = 0; i < 7; i++)
            await store.CommitAsync(Collection.Products, $"OLD{i}", [new DocumentWrite.Create(ProductPartitionIds.Product, DocumentJson.Write(P($"OLD{i}")))]);
        await r.ProductAsync("NEWER", stock: 0);
        Assert.Equal(["NEWER"], (await ListAllAsync(r.App)).Select(p => p.ProductId));

        async Task<(int Products, int Written)> BackfillAsync()
        {
            var (products, written) = (0, 0);
            string? token = null;
            do
            {
                var page = await r.App.CatalogBackfill.RunPageAsync(3, token);
                (products, written, token) = (products + page.Products, written + page.RowsWritten, page.ContinuationToken);
            } while (token is not null);
            return (products, written);
        }

        Assert.Equal((8, 7), await BackfillAsync());
        Assert.Equal(8, (await ListAllAsync(r.App)).Count);
        Assert.Equal((8, 0), await BackfillAsync());
        await Assert.ThrowsAsync<ValidationException>(() => r.App.CatalogBackfill.RunPageAsync(0));
    }

    [Fact]
    public async Task A_list_token_the_index_did_not_issue_is_refused()
    {
        var r = await ReplenishmentScenario.CreateAsync();
        var e = await Assert.ThrowsAsync<ValidationException>(() => r.App.ProductList.ListAsync(new ProductFilter(), 10, "bm90IGEgdG9rZW4"));
        Assert.Contains("continuationToken", e.Message, StringComparison.Ordinal);
    }
}
