using Inventory.Application;
using Inventory.Domain;
using Inventory.Testing;

namespace Inventory.Storage.Cosmos.Tests;

/// <summary>
/// Each write becomes the batch operation its condition needs: Create a create (never an upsert), Replace and Delete
/// carry IfMatchEtag with the ETag read, only Upsert upserts; all on the commit's partition. Checked on plain writes and
/// on the writes the application decides for a reservation, a fulfilment and a receipt.
/// </summary>
public class CommitOperationTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Each_write_is_sent_as_the_operation_its_condition_needs()
    {
        var fakes = new CosmosFakes();
        await fakes.Store().CommitAsync(Collection.Products, "P1",
        [
            new DocumentWrite.Create("led|1", "{}"),
            new DocumentWrite.Replace("head", "{}", "\"etag-head\""),
            new DocumentWrite.Delete("res|o1", "\"etag-res\""),
            new DocumentWrite.Upsert("bal|L1", "{}"),
        ]);

        Assert.Equal("[\"P1\"]", Assert.Single(fakes.BatchPartitions).ToString());
        Assert.Equal(
        [
            new("create", "led|1", null), new("replace", "head", "\"etag-head\""),
            new("delete", "res|o1", "\"etag-res\""), new("upsert", "bal|L1", null),
        ], Assert.Single(fakes.Batches).Select(c => (c.Method, c.Id, c.IfMatch)).ToArray());
    }

    [Fact]
    public async Task A_reservation_replaces_what_it_read_under_its_etag_and_creates_every_ledger_entry()
    {
        var (_, loaded) = await StockAsync(StockRead.ForOrder("o1"));
        loaded.Stock.Reserve(new ReserveRequest("o1", 6, null, ReservationPolicy.AllOrNothing, null, "test"), AllocationOptions.Default, Now);

        var calls = await CommitThroughCosmosAsync(loaded);

        AssertConditioned(calls, loaded, expectedLedgerDocuments: 2); // its two entries (L1, L2): the first alone, the second with the state
        Assert.Contains(calls, c => c is { Method: "create", Id: "res|o1" });
    }

    [Fact]
    public async Task A_fulfilment_replaces_what_it_read_under_its_etag_and_creates_every_ledger_entry()
    {
        var (s, _) = await StockAsync(StockRead.BalancesOnly);
        await s.App.Reserve.ExecuteAsync(new Application.Orders.ReserveCommand("o2", [new("P1", 6)]));
        var pack = (await s.App.Orders.GetAsync("o2", default)).Pack; // one product: its reservation is in a reservation pack
        var loaded = (await s.App.Partitions.LoadAsync("P1", StockRead.ForChange("o2", "ship-all", pack)))!;
        loaded.Stock.Fulfill("o2", "ship-all", "all", null, "test", Now);

        var calls = await CommitThroughCosmosAsync(loaded);

        AssertConditioned(calls, loaded, expectedLedgerDocuments: 2); // its two entries (L1, L2): the first alone, the second with the state
        // Closed by the fulfilment: out of its pack (the last one in it: the part deleted) to the closed prefix, in the same batch.
        Assert.Contains(calls, c => c.Method == "delete" && c.Id.StartsWith("rsb|", StringComparison.Ordinal));
        Assert.Contains(calls, c => c is { Method: "create", Id: "rsc|o2" });
    }

    [Fact]
    public async Task A_receipt_replaces_what_it_read_under_its_etag_and_creates_its_record_and_ledger_entry()
    {
        var (s, loaded) = await StockAsync(StockRead.ForOperation(OperationKind.Receive, "r1"));
        loaded.Stock.Receive(new ReceiveRequest("r1", "L1", 4, "Receipt", "test"), await s.App.Catalog.GetLocationAsync("L1"), Now);

        var calls = await CommitThroughCosmosAsync(loaded);

        AssertConditioned(calls, loaded, expectedLedgerDocuments: 1);
        Assert.Contains(calls, c => c is { Method: "create", Id: "op|receive|r1" });
    }

    private static async Task<(StockScenario Scenario, LoadedStock Loaded)> StockAsync(StockRead read)
    {
        var s = StockScenario.Over(new InMemoryDocumentStore());
        await s.WarehouseAsync("W1");
        await s.LocationAsync("W1", "L1");
        await s.LocationAsync("W1", "L2");
        await s.ProductAsync("P1");
        await s.StockAsync("P1", "L1", 3);
        await s.StockAsync("P1", "L2", 5);
        return (s, (await s.App.Partitions.LoadAsync("P1", read))!);
    }

    private static async Task<List<BatchCall>> CommitThroughCosmosAsync(LoadedStock loaded)
    {
        var fakes = new CosmosFakes();
        await new ProductPartitions(fakes.Store()).CommitAsync(loaded);
        return Assert.Single(fakes.Batches);
    }

    private static readonly string[] ReplaceOrDelete = ["replace", "delete"];

    private static void AssertConditioned(List<BatchCall> calls, LoadedStock loaded, int expectedLedgerDocuments)
    {
        Assert.DoesNotContain(calls, c => c.Method == "upsert");
        Assert.All(calls.Where(c => loaded.ETags.ContainsKey(c.Id)), c =>
        {
            Assert.Contains(c.Method, ReplaceOrDelete); // a closed reservation's open document is deleted
            Assert.Equal(loaded.ETags[c.Id], c.IfMatch);
        });
        Assert.All(calls.Where(c => !loaded.ETags.ContainsKey(c.Id)), c => Assert.Equal(("create", (string?)null), (c.Method, c.IfMatch)));
        // No head: the commit creates the ledger document of the sequence after the state it read (what two commits decided
        // on one state collide on), and its last ledger document carries the state after it.
        Assert.DoesNotContain(calls, c => c.Id == ProductPartitionIds.Head);
        var read = loaded.Stock.CommitSequence - loaded.Stock.CommitEntries.Count;
        Assert.Contains(calls, c => c is { Method: "create" } && c.Id == ProductPartitionIds.Ledger(read + 1));
        Assert.True(calls.Single(c => c.Id == ProductPartitionIds.Ledger(loaded.Stock.CommitSequence)).Item!.Value.TryGetProperty("state", out _));
        Assert.Equal(expectedLedgerDocuments, calls.Count(c => c.Id.StartsWith(ProductPartitionIds.LedgerPrefix, StringComparison.Ordinal) && c.Method == "create"));
    }
}
