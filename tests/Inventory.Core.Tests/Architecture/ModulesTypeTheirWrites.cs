using Inventory.Application.Orders;
using Inventory.Domain;
using Inventory.Storage;
using Inventory.Testing;

namespace Inventory.Core.Tests.Architecture;

/// <summary>
/// Issue 11: the type (and the ledger's leave to expire) a store records beside a document travels on the write, set
/// by the module that writes it. Every write of a workflow carries the type the Cosmos container has always held for
/// that id (the table the application's store wrapper used to apply), and only ledger entries may expire.
/// </summary>
public sealed class ModulesTypeTheirWrites
{
    /// <remarks>An order's header is named by its order id, in its claim bucket (<see cref="OrderHeaders.HeaderPartition"/>).</remarks>
    private static readonly Dictionary<string, string> Exact = new(StringComparer.Ordinal)
    {
        ["product"] = "product", ["head"] = "head", ["O1"] = "order", ["O2"] = "order", ["O3"] = "order", ["warehouse"] = "warehouse", ["location"] = "locationIndex", ["sku"] = "skuClaim",
    };

    private static readonly (string Prefix, string Type)[] Prefixes =
    [
        ("bal|", "balance"), ("res|", "reservation"), ("rsc|", "reservation"), ("rsb|", "reservationPack"), ("op|", "operation"), ("chg|", "reservationChange"), ("led|", "ledger"),
        ("ckp|", "ledgerCheckpoint"), ("loc|", "location"), ("shopify-delivery|", "shopifyDelivery"), ("intent|", "changeIntent"),
        ("intent-open|", "openChangeIntent"), ("retype|", "locationRetype"),
    ];

    private static string? Expected(string id) =>
        Exact.TryGetValue(id, out var type) ? type : Prefixes.FirstOrDefault(p => id.StartsWith(p.Prefix, StringComparison.Ordinal)).Type;

    [Fact]
    public async Task Every_write_carries_its_documents_type()
    {
        var store = new InMemoryDocumentStore();
        var writes = new List<(Collection Collection, DocumentWrite Write)>();
        store.BeforeCommit = (collection, _, batch) => { lock (writes) writes.AddRange(batch.Select(w => (collection, w))); };
        var s = StockScenario.Over(store);
        await s.WarehouseAsync("W1");
        await s.LocationAsync("W1", "BULK-1");
        await s.ProductAsync("A");
        await s.StockAsync("A", "BULK-1", 10);
        await s.ProductAsync("B");
        await s.StockAsync("B", "BULK-1", 10);
        await s.App.Reserve.ExecuteAsync(new ReserveCommand("O1", [new("A", 4)])); // one product: in a reservation pack
        await s.App.Reserve.ExecuteAsync(new ReserveCommand("O3", [new("A", 1), new("B", 1)])); // a saga's: res| of their own
        await s.App.Fulfill.ExecuteAsync(new ReservationChangeCommand("O1", [new("A", 2)], "ship-1"));
        await s.App.Reserve.ExecuteAsync(new ReserveCommand("O2", [new("A", 1)]));
        await s.App.Release.ExecuteAsync(new ReservationChangeCommand("O2")); // closed: moved to rsc|
        await s.LocationAsync("W1", "BULK-1", LocationType.Overflow); // a retype: its marker
        await s.App.Deliveries.RecordAsync(new ShopifyDelivery("w1", "orders/create", "O1", "reserved", DateTimeOffset.UnixEpoch));

        var written = writes.Where(w => w.Write is not DocumentWrite.Delete).ToArray();
        foreach (var id in Exact.Keys.Concat(Prefixes.Select(p => p.Prefix)).Where(k => k != "ckp|"))
            Assert.Contains(written, w => w.Write.Id == id || (id.EndsWith('|') && w.Write.Id.StartsWith(id, StringComparison.Ordinal)));
        Assert.All(written.Where(w => Expected(w.Write.Id) is not null), w => Assert.Equal(Expected(w.Write.Id), w.Write.Type));
    }
}
