using Inventory.Application;
using Inventory.Application.Stock;
using Inventory.Domain;
using Inventory.Storage;
using Inventory.Testing;

namespace Inventory.Core.Tests.Application;

/// <summary>
/// From the team's notes: a receipt's fingerprint was its location and quantity only, so a request under a recorded
/// receipt id that differed only in <c>referenceType</c> was answered as its replay (<c>replayed</c>), while the ledger
/// keeps the first request's type. Like every other difference it is refused as a reference conflict. Receipts recorded
/// before keep a fingerprint without the type, and their own true replay still matches it.
/// </summary>
public class AReceiptReplayedWithAnotherReferenceTypeIsRefusedTests
{
    private static async Task<(StockScenario S, InMemoryDocumentStore Store)> ProductAsync()
    {
        var store = new InMemoryDocumentStore();
        var s = StockScenario.Over(store);
        await s.WarehouseAsync("W1");
        await s.LocationAsync("W1", "L1");
        await s.ProductAsync("A");
        return (s, store);
    }

    [Fact]
    public async Task The_same_receipt_id_with_another_reference_type_is_a_reference_conflict_and_writes_nothing()
    {
        var (s, store) = await ProductAsync();
        Assert.False((await s.App.Receive.ExecuteAsync(new ReceiveCommand("A", "L1", 5, "rcv-1", ReferenceType: "Return"))).Replayed);
        var commits = store.Commits;

        var e = await Assert.ThrowsAsync<ReferenceConflictException>(() => s.App.Receive.ExecuteAsync(new ReceiveCommand("A", "L1", 5, "rcv-1", ReferenceType: "Receipt")));
        Assert.Equal("reference-conflict", e.Code);
        Assert.Equal(commits, store.Commits);

        Assert.True((await s.App.Receive.ExecuteAsync(new ReceiveCommand("A", "L1", 5, "rcv-1", ReferenceType: "Return"))).Replayed);
        Assert.Equal(5, (await s.App.Stock.GetStockAsync("A")).QuantityOnHand);
        Assert.Equal("Return", (await s.LedgerAsync("A"))[0].ReferenceType);
    }

    [Fact]
    public async Task A_receipt_recorded_with_the_fingerprint_of_before_is_still_replayed_by_its_own_request()
    {
        var (s, store) = await ProductAsync();
        await s.App.Receive.ExecuteAsync(new ReceiveCommand("A", "L1", 5, "rcv-old", ReferenceType: "Return"));
        await RecordedBeforeAsync(store, "A", "op|receive|rcv-old", "L1|5");

        Assert.True((await s.App.Receive.ExecuteAsync(new ReceiveCommand("A", "L1", 5, "rcv-old", ReferenceType: "Return"))).Replayed);
        await Assert.ThrowsAsync<ReferenceConflictException>(() => s.App.Receive.ExecuteAsync(new ReceiveCommand("A", "L1", 6, "rcv-old", ReferenceType: "Return")));
        Assert.Equal(5, (await s.App.Stock.GetStockAsync("A")).QuantityOnHand);
    }

    /// <summary>Rewrites an operation record as a build before this one stored it: its fingerprint without the reference type.</summary>
    private static async Task RecordedBeforeAsync(InMemoryDocumentStore store, string productId, string id, string fingerprint)
    {
        var doc = (await store.ReadAsync(Collection.Products, productId, [id], [])).Single();
        var body = System.Text.Json.Nodes.JsonNode.Parse(doc.Body)!;
        body["fingerprint"] = fingerprint;
        await store.CommitAsync(Collection.Products, productId, [new DocumentWrite.Replace(id, body.ToJsonString(), doc.ETag)]);
    }
}
