using System.Text.Json;
using System.Text.Json.Nodes;
using Inventory.Application;
using Inventory.Application.Orders;
using Inventory.Core.Tests.Ledger;
using Inventory.Domain;
using Inventory.Storage;
using Inventory.Testing;

namespace Inventory.Core.Tests.Coalescing;

/// <summary>
/// A read that mixes two commits (on Table Storage, past the few rereads a multi-document read makes) can hand a decision
/// a state that breaks the stock's invariants: a reservation newer than the state its balances come from (the state the
/// newest ledger document carries). The decision then meets a balance going negative (<see cref="StockInvariantException"/>);
/// the batch committer decides once more from a fresh read instead of failing the request.
/// </summary>
public class BrokenInvariantTests
{
    /// <summary>
    /// Hands out, the next times a read or query of the product partition returns the product's newest ledger document
    /// (O1's reservation), that document with its state corrupted: the balances from before the reservation, under the
    /// reservation's own sequence (so no guard of the read sees a newer commit).
    /// </summary>
    private sealed class CorruptingStore(IDocumentStore inner) : DelegatingStore(inner)
    {
        private int remaining;
        public int Handed { get; private set; }
        private (string Id, string Body)? corrupt;

        public void Corrupt(string id, string body, int times) => (corrupt, remaining) = ((id, body), times);

        private IReadOnlyList<StoredDocument> Tear(Collection collection, IReadOnlyList<StoredDocument> docs)
        {
            if (collection != Collection.Products || corrupt is not { } c || remaining <= 0 || !docs.Any(d => d.Id == c.Id)) return docs;
            remaining--;
            Handed++;
            return docs.Select(d => d.Id == c.Id ? d with { Body = c.Body } : d).ToArray();
        }

        public override async Task<IReadOnlyList<StoredDocument>> ReadAsync(Collection collection, string partition, IReadOnlyCollection<string> ids,
            IReadOnlyCollection<string> idPrefixes, CancellationToken cancellationToken = default) =>
            Tear(collection, await base.ReadAsync(collection, partition, ids, idPrefixes, cancellationToken));

        public override async Task<DocumentPage> QueryAsync(Collection collection, string partition, string idPrefix, int pageSize, string? continuationToken,
            CancellationToken cancellationToken = default)
        {
            var page = await base.QueryAsync(collection, partition, idPrefix, pageSize, continuationToken, cancellationToken);
            return page with { Documents = Tear(collection, page.Documents) };
        }
    }

    private static async Task<(StockScenario S, CorruptingStore Store, string Newest, string Corrupted)> ReservedWithOldStateAsync()
    {
        var memory = new InMemoryDocumentStore();
        var store = new CorruptingStore(memory);
        var s = StockScenario.Over(store, new ManualClock(new DateTimeOffset(2026, 11, 30, 8, 0, 0, TimeSpan.Zero)));
        await s.WarehouseAsync("W1");
        await s.LocationAsync("W1", "L1");
        await s.ProductAsync("A");
        await s.StockAsync("A", "L1", 10);
        var before = (await HotLedger.DocumentsAsync(memory, "A"))[0];
        var oldState = Assert.IsType<StockHead>(LedgerPack.StateOf(before.Body));
        await s.App.Reserve.ExecuteAsync(new ReserveCommand("O1", [new("A", 2)]));
        var newest = (await HotLedger.DocumentsAsync(memory, "A"))[0];
        var state = Assert.IsType<StockHead>(LedgerPack.StateOf(newest.Body));
        Assert.Equal((0L, 2L), (oldState.Balances!.Single().QuantityReserved, state.Balances!.Single().QuantityReserved));
        var body = JsonNode.Parse(newest.Body)!.AsObject();
        body["state"] = JsonSerializer.SerializeToNode(oldState with { LedgerSequence = state.LedgerSequence }, DocumentJson.Options);
        // Another instance decides the release: this one remembers the state its own commit wrote and reads no torn copy of it.
        var other = StockScenario.Over(store, new ManualClock(new DateTimeOffset(2026, 11, 30, 8, 0, 0, TimeSpan.Zero)));
        return (other, store, newest.Id, body.ToJsonString());
    }

    [Fact]
    public async Task A_release_decided_on_a_torn_read_is_decided_again_from_a_fresh_one()
    {
        var (s, store, newest, corrupted) = await ReservedWithOldStateAsync();
        store.Corrupt(newest, corrupted, times: 1);

        var view = await s.App.Release.ExecuteAsync(new ReservationChangeCommand("O1", null, "release-1"));

        Assert.Equal(1, store.Handed);
        Assert.Equal(OrderReservationStatus.Released, view.Status);
        Assert.Equal(0, (await s.App.Stock.GetStockAsync("A")).QuantityReserved);
        await s.AssertBooksBalanceAsync("A");
    }

    [Fact]
    public async Task A_broken_invariant_met_again_on_the_fresh_read_reaches_the_caller_and_changes_nothing()
    {
        var (s, store, newest, corrupted) = await ReservedWithOldStateAsync();
        store.Corrupt(newest, corrupted, times: 100);

        await Assert.ThrowsAnyAsync<StockInvariantException>(() => s.App.Release.ExecuteAsync(new ReservationChangeCommand("O1", null, "release-1")));

        Assert.InRange(store.Handed, 2, 99);
        store.Corrupt(newest, corrupted, times: 0);
        Assert.Equal(2, (await s.App.Stock.GetStockAsync("A")).QuantityReserved);
        await s.AssertBooksBalanceAsync("A");
    }
}
