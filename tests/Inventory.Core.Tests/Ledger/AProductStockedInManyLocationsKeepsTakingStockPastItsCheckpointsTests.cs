using Inventory.Application;
using Inventory.Application.Stock;
using Inventory.Domain;
using Inventory.Testing;

namespace Inventory.Core.Tests.Ledger;

/// <summary>
/// Found in review: a ledger checkpoint is one document holding every balance of the product
/// (<c>LedgerCheckpoint.After</c>, written by <c>ProductPartitions.ChangedDocuments</c> in the stock commit that reaches a
/// multiple of <c>Ledger__CheckpointEvery</c>), and nothing bounds how many locations a product is stocked in. Past a
/// few hundred locations (fewer with long location ids) the checkpoint passes Table Storage's 64 KiB per document, so the
/// commit that would carry it is refused as too large: every request that reaches the checkpoint fails, and since any
/// later one reaches it too, the product can never move stock again.
/// </summary>
public sealed class AProductStockedInManyLocationsKeepsTakingStockPastItsCheckpointsTests
{
    private const int Locations = 260;

    private static string Location(int i) => $"L{i:D4}-" + new string('x', 110); // 116 characters: ids may have 128

    [Fact]
    public async Task Every_receipt_into_a_new_location_is_applied_and_the_books_balance()
    {
        var store = new InMemoryDocumentStore();
        var app = new InventoryApplication(store, ledger: new LedgerOptions { CheckpointEvery = 10 });
        var s = new StockScenario(app);
        await s.WarehouseAsync("W1");
        for (var i = 1; i <= Locations; i++) await s.LocationAsync("W1", Location(i));
        await s.ProductAsync("A");

        var failures = new List<string>();
        for (var i = 1; i <= Locations; i++)
        {
            try { await app.Receive.ExecuteAsync(new ReceiveCommand("A", Location(i), 5, $"r-{i}")); }
            catch (Exception e) { failures.Add($"receipt {i} (ledger entry {i}): {e.GetType().Name}: {e.Message}"); }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {Locations} receipts failed, the first:\n" + string.Join("\n", failures.Take(2)));
        var stock = await app.Stock.GetStockAsync("A");
        Assert.Equal(5L * Locations, stock.QuantityOnHand);
        await s.AssertBooksBalanceAsync("A");
    }
}
