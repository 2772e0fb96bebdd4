using Inventory.Application;
using Inventory.Application.Lists;
using Inventory.Application.Orders;
using Inventory.Application.Stock;
using Inventory.Core.Tests.Ledger;
using Inventory.Domain;
using Inventory.Storage;
using Inventory.Testing;

namespace Inventory.Core.Tests.Application;

/// <summary>
/// Issue 14: a commit that moves stock writes one stock document, its (last) ledger document, whose state holds the balances
/// (the head, which held them before, is no longer written by a stock commit).
/// </summary>
public class StockDocumentTests
{
    private readonly InMemoryDocumentStore store = new();
    private readonly StockScenario s;

    public StockDocumentTests() => s = StockScenario.Over(store);

    private async Task<List<string>> ProductWritesOfAsync(Func<Task> action)
    {
        var written = new List<string>();
        store.AfterCommit = (collection, _, writes) =>
        {
            if (collection == Collection.Products) lock (written) written.AddRange(writes.Select(w => w.Id));
        };
        await action();
        store.AfterCommit = null;
        return written;
    }

    [Fact]
    public async Task A_lone_reservation_writes_its_state_in_its_ledger_document_and_no_balance_document()
    {
        await s.WarehouseAsync("W1");
        await s.LocationAsync("W1", "L1");
        await s.ProductAsync("A");
        await s.StockAsync("A", "L1", 10);

        var written = await ProductWritesOfAsync(() => s.App.Reserve.ExecuteAsync(new ReserveCommand("O1", [new("A", 2)])));

        Assert.DoesNotContain("head", written);
        Assert.DoesNotContain(written, id => id.StartsWith("bal|", StringComparison.Ordinal));
        // reservation, ledger document (its entry and the state after it): the two records every reservation keeps, the
        // stock document among them.
        Assert.Equal(2, written.Count);
        var ledger = Assert.Single(written, id => id.StartsWith(ProductPartitionIds.LedgerPrefix, StringComparison.Ordinal));
        Assert.Equal(ledger, (await HotLedger.DocumentsAsync(store, "A"))[0].Id);
        Assert.Equal([("L1", 10L, 2L)], (await StateAsync("A")).Balances!.Select(b => (b.LocationId, b.QuantityOnHand, b.QuantityReserved)));
        var stock = await s.App.Stock.GetStockAsync("A");
        Assert.Equal((10L, 2L), (stock.QuantityOnHand, stock.QuantityReserved));
        Assert.True((await s.App.Invariants.CheckAsync("A")).Holds);
    }

    /// <summary>
    /// Rewrites a product the way builds before this one stored it: its state in the head, without balances, a full
    /// <c>bal|</c> document per location, and ledger documents that carry no state.
    /// </summary>
    private async Task ToBalanceDocumentsAsync(string productId)
    {
        var stockHead = await StateAsync(productId);
        var head = (await store.ReadAsync(Collection.Products, productId, [ProductPartitionIds.Head], [])).Single();
        var writes = new List<DocumentWrite> { new DocumentWrite.Replace(ProductPartitionIds.Head, DocumentJson.Write(stockHead with { Balances = null }), head.ETag) };
        writes.AddRange(stockHead.Balances!.Select(b => new DocumentWrite.Upsert(ProductPartitionIds.Balance(b.LocationId), DocumentJson.Write(b))));
        writes.AddRange((await HotLedger.DocumentsAsync(store, productId)).Where(d => LedgerPack.StateOf(d.Body) is not null)
            .Select(d => new DocumentWrite.Replace(d.Id, DocumentJson.Write(new LedgerPack(LedgerPack.Read(d.Body)).Document), d.ETag)));
        await store.CommitAsync(Collection.Products, productId, writes);
    }

    /// <summary>The product's state as stored: what its newest ledger document carries, else (none carries it) its head.</summary>
    private async Task<StockHead> StateAsync(string productId)
    {
        var docs = await HotLedger.DocumentsAsync(store, productId);
        var newest = docs.Count > 0 ? docs[0] : null;
        return (newest is null ? null : LedgerPack.StateOf(newest.Body))
            ?? DocumentJson.Read<StockHead>((await store.ReadAsync(Collection.Products, productId, [ProductPartitionIds.Head], [])).Single().Body);
    }

    /// <summary>The head and the <c>bal|</c> documents as stored, id to body.</summary>
    private async Task<Dictionary<string, string>> StoredAsync(string productId) =>
        (await store.ReadAsync(Collection.Products, productId, [ProductPartitionIds.Head], [ProductPartitionIds.BalancePrefix]))
        .ToDictionary(d => d.Id, d => d.Body, StringComparer.Ordinal);

    private async Task<LocationStockItem> AtAsync(string locationId, string productId) =>
        (await s.App.LocationContents.ListAsync("W1", locationId, 100)).Items.Single(i => i.ProductId == productId);

    private async Task OldLayoutAsync()
    {
        await s.WarehouseAsync("W1");
        await s.LocationAsync("W1", "L1");
        await s.LocationAsync("W1", "L2");
        await s.ProductAsync("A");
        await s.StockAsync("A", "L1", 10);
        await s.StockAsync("A", "L2", 5);
        await ToBalanceDocumentsAsync("A");
    }

    [Fact]
    public async Task A_product_stored_with_balance_documents_is_read_and_migrated_by_its_next_commit()
    {
        await OldLayoutAsync();
        var old = await StoredAsync("A");
        Assert.Null(DocumentJson.Read<StockHead>(old[ProductPartitionIds.Head]).Balances);
        var before = await s.App.Stock.GetStockAsync("A");
        Assert.Equal((15L, 0L), (before.QuantityOnHand, before.QuantityReserved));
        Assert.Equal(10, (await AtAsync("L1", "A")).QuantityOnHand);
        Assert.True((await s.App.Invariants.CheckAsync("A")).Holds);

        var written = await ProductWritesOfAsync(() => s.App.Reserve.ExecuteAsync(new ReserveCommand("O1", [new("A", 12)])));

        Assert.DoesNotContain(written, id => id.StartsWith(ProductPartitionIds.BalancePrefix, StringComparison.Ordinal));
        var migrated = await StoredAsync("A");
        var balances = (await StateAsync("A")).Balances; // in the state its ledger document carries
        Assert.NotNull(balances);
        Assert.Equal([("L1", 10L, 10L), ("L2", 5L, 2L)], balances.Select(b => (b.LocationId, b.QuantityOnHand, b.QuantityReserved)));
        // The old balance documents stay, as the location's index entries: nothing lost, nothing read for quantities.
        Assert.Equal(old[ProductPartitionIds.Balance("L1")], migrated[ProductPartitionIds.Balance("L1")]);
        var after = await s.App.Stock.GetStockAsync("A");
        Assert.Equal((15L, 12L), (after.QuantityOnHand, after.QuantityReserved));
        Assert.Equal((10L, 10L), ((await AtAsync("L1", "A")).QuantityOnHand, (await AtAsync("L1", "A")).QuantityReserved));
        await s.AssertBooksBalanceAsync("A");

        // A later commit on the migrated product moves stock through its ledger document alone.
        written = await ProductWritesOfAsync(() => s.App.Release.ExecuteAsync(new ReservationChangeCommand("O1", null, null, "t")));
        Assert.DoesNotContain(written, id => id.StartsWith(ProductPartitionIds.BalancePrefix, StringComparison.Ordinal));
        Assert.Equal(0, (await s.App.Stock.GetStockAsync("A")).QuantityReserved);
        await s.AssertBooksBalanceAsync("A");
    }

    [Fact]
    public async Task A_refused_migrating_commit_leaves_the_balance_documents_as_they_were()
    {
        await OldLayoutAsync();
        var old = await StoredAsync("A");
        var oldState = DocumentJson.Write(await StateAsync("A"));
        var refuse = true;
        store.BeforeCommit = (collection, _, writes) =>
        {
            // the stock commit: the one that writes a ledger document (with the state, balances in it)
            if (collection == Collection.Products && refuse && writes.Any(w => w.Id.StartsWith(ProductPartitionIds.LedgerPrefix, StringComparison.Ordinal)))
            {
                refuse = false;
                throw new InvalidOperationException("injected: the migrating commit never lands");
            }
        };

        await Assert.ThrowsAnyAsync<Exception>(() => s.App.Reserve.ExecuteAsync(new ReserveCommand("O1", [new("A", 3)])));
        Assert.False(refuse);
        Assert.Equal(old, await StoredAsync("A"));
        Assert.Equal(oldState, DocumentJson.Write(await StateAsync("A")));
        Assert.Equal(0, (await s.App.Stock.GetStockAsync("A")).QuantityReserved);

        await s.App.Reserve.ExecuteAsync(new ReserveCommand("O1", [new("A", 3)]));
        Assert.NotNull((await StateAsync("A")).Balances);
        Assert.Equal(3, (await s.App.Stock.GetStockAsync("A")).QuantityReserved);
        await s.AssertBooksBalanceAsync("A");
    }

    [Fact]
    public async Task A_product_with_more_locations_than_the_head_holds_keeps_a_balance_document_per_location()
    {
        const int locations = StockLayout.MaxHeadBalances + 1;
        await s.WarehouseAsync("W1");
        await s.ProductAsync("A");
        for (var i = 1; i <= locations; i++)
        {
            await s.LocationAsync("W1", $"L{i:D3}");
            await s.StockAsync("A", $"L{i:D3}", 2);
            Assert.Equal(i < locations, (await StateAsync("A")).Balances is not null);
        }

        var stored = await StoredAsync("A");
        var bodies = stored.Where(d => d.Key != ProductPartitionIds.Head).Select(d => DocumentJson.Read<StockBalance>(d.Value)).ToArray();
        Assert.Equal(locations, bodies.Length);
        Assert.All(bodies, b => Assert.Equal(2, b.QuantityOnHand));

        var written = await ProductWritesOfAsync(() => s.App.Reserve.ExecuteAsync(new ReserveCommand("O1", [new("A", 3)])));
        Assert.Equal(2, written.Count(id => id.StartsWith(ProductPartitionIds.BalancePrefix, StringComparison.Ordinal)));
        // Read once with a second round trip for its balance documents, the product is then read in one, after its state:
        // the newest ledger document this instance wrote is remembered whole, so only the next one's is read (absent).
        var reads = store.Reads;
        await s.App.Stock.GetStockAsync("A");
        Assert.Equal(2, store.Reads - reads);
        var stock = await s.App.Stock.GetStockAsync("A");
        Assert.Equal((2L * locations, 3L), (stock.QuantityOnHand, stock.QuantityReserved));
        Assert.Equal(2, (await AtAsync("L001", "A")).QuantityReserved);
        await s.AssertBooksBalanceAsync("A");
    }

    [Fact]
    public async Task A_new_location_gets_its_index_entry_in_the_commit_that_first_puts_stock_there()
    {
        await s.WarehouseAsync("W1");
        await s.LocationAsync("W1", "L1");
        await s.LocationAsync("W1", "L2");
        await s.ProductAsync("A");

        var written = await ProductWritesOfAsync(() => s.StockAsync("A", "L1", 4));
        Assert.Contains(ProductPartitionIds.Balance("L1"), written);
        written = await ProductWritesOfAsync(() => s.StockAsync("A", "L1", 1));
        Assert.DoesNotContain(ProductPartitionIds.Balance("L1"), written);
        await s.App.Transfer.ExecuteAsync(new TransferCommand("A", "L1", "L2", 2, "t-1"));

        Assert.Equal([ProductPartitionIds.Balance("L1"), ProductPartitionIds.Balance("L2"), ProductPartitionIds.Head],
            (await StoredAsync("A")).Keys.Order(StringComparer.Ordinal));
        Assert.Equal((3L, 2L), ((await AtAsync("L1", "A")).QuantityOnHand, (await AtAsync("L2", "A")).QuantityOnHand));
        await s.AssertBooksBalanceAsync("A");
    }

    [Fact]
    public void The_largest_head_the_layout_allows_fits_a_Table_string_property()
    {
        var at = new DateTimeOffset(2026, 11, 30, 3, 40, 0, TimeSpan.Zero).AddTicks(1_234_567);
        StockBalance Largest(int i) => new()
        {
            LocationId = i.ToString("D4", System.Globalization.CultureInfo.InvariantCulture).PadRight(128, 'l'), WarehouseId = new string('w', 128),
            LocationType = LocationType.Overflow, QuantityOnHand = 999_999_999, QuantityReserved = 999_999_998, LastCountedAt = at, LastMovedAt = at,
        };
        var balances = Enumerable.Range(0, StockLayout.MaxHeadBalances).Select(Largest).ToArray();
        var shipped = Enumerable.Range(0, 90).ToDictionary(d => $"2026-{d / 28 + 1:D2}-{d % 28 + 1:D2}", _ => 999_999_999L);
        var head = DocumentJson.Write(new StockHead(new string('p', 128), long.MaxValue, shipped, balances));

        Assert.True(StockLayout.InHead(balances));
        Assert.False(StockLayout.InHead([.. balances, Largest(StockLayout.MaxHeadBalances)]));
        // 64 KiB counted as UTF-16, as Table Storage stores the body; Cosmos DB allows 2 MiB.
        Assert.InRange(InMemoryDocumentStore.DocumentBytes(head), 0, InMemoryDocumentStore.Strictest.MaxDocumentBytes);
    }
}
