using Inventory.Application.Orders;
using Inventory.Application.Purchasing;
using Inventory.Application.Stock;
using Inventory.Domain;
using Inventory.Storage;
using Inventory.Testing;

namespace Inventory.Core.Tests.Purchasing;

/// <summary>
/// Found in review (r2, PutAwayPlans as a post-commit step). The post-commit steps run "after every stock commit and
/// every replay of one (a replay carries no entry but the balances, so a crash between the commit and this step is caught
/// up by the retry)" (docs/architecture.md). PutAwayPlans runs after LocationLoads and reads only the ledger entries. When
/// a direct receipt is committed and the loads write after it fails (a store blip: the caller gets a 503 and retries),
/// PutAwayPlans never runs for the commit; the retry is a replay, which writes the loads from the balances but carries no
/// entry, so the cached planner never takes the units in. The next purchase-order line is planned into the room they took
/// and the location is filled beyond its capacity for as long as the cache lives: the overfill
/// APutAwayPlanAfterADirectReceiptDoesNotOverfillTests closed, back after one failed write. Deterministic: the clock does
/// not move.
/// </summary>
public class ADirectReceiptRetriedAfterItsLoadsFailedIsTakenIntoThePlannerTests
{
    [Fact]
    public async Task A_line_planned_after_a_direct_receipt_retried_past_a_failed_loads_write_does_not_overfill()
    {
        var store = new FailNextCommit(new InMemoryDocumentStore());
        var clock = new ManualClock(new DateTimeOffset(2026, 12, 2, 9, 0, 0, TimeSpan.Zero));
        var app = new InventoryApplication(store, clock);
        await new StockScenario(app).WarehouseAsync("W1");
        // A unit is 1,000 cm3: BULK holds two, OVF takes anything.
        await app.SaveLocation.ExecuteAsync(new Location { LocationId = "BULK", WarehouseId = "W1", Type = LocationType.Bulk, MaxVolumeCubicCm = 2_000 });
        await app.SaveLocation.ExecuteAsync(new Location { LocationId = "OVF", WarehouseId = "W1", Type = LocationType.Overflow });
        await app.SaveProduct.ExecuteAsync(new Product { ProductId = "A", Sku = "A", Name = "a", UnitWeightGrams = 100, Dimensions = new(100, 100, 100) });
        await app.CreatePurchaseOrder.ExecuteAsync(new CreatePurchaseOrderCommand("PO1", "S1", "W1", new DateOnly(2026, 12, 9), [new OrderLine("A", 2)]));
        await app.ChangePurchaseOrderStatus.ExecuteAsync("PO1", PurchaseOrderAction.Send);
        await app.ChangePurchaseOrderStatus.ExecuteAsync("PO1", PurchaseOrderAction.Confirm);
        var first = await app.ReceivePurchaseOrder.ExecuteAsync(new ReceiptMessage("PO1", "R1", "W1", "dock", [new("A", 1)]));
        Assert.Equal("BULK", first.Lines.Single().LocationId); // the planner is built and cached: one unit of room left

        store.Fail = (collection, partition) => collection == Collection.Warehouses && partition == "W1"; // the loads write after the commit
        await Assert.ThrowsAsync<StoreUnavailableException>(() => app.Receive.ExecuteAsync(new ReceiveCommand("A", "BULK", 1, "direct-1")));
        var retried = await app.Receive.ExecuteAsync(new ReceiveCommand("A", "BULK", 1, "direct-1")); // the client's retry: a replay
        Assert.True(retried.Replayed);

        var second = await app.ReceivePurchaseOrder.ExecuteAsync(new ReceiptMessage("PO1", "R2", "W1", "dock", [new("A", 1)]));

        var at = (await app.Stock.GetStockAsync("A")).Locations.ToDictionary(l => l.LocationId, l => l.QuantityOnHand);
        Assert.Equal(2, at["BULK"]); // not 3 units in a location holding 2
        Assert.Equal("OVF", second.Lines.Single().LocationId);
    }

    /// <summary>Fails the next commit <see cref="Fail"/> names, before it is applied, as an outage would.</summary>
    private sealed class FailNextCommit(IDocumentStore inner) : DelegatingStore(inner)
    {
        public Func<Collection, string, bool>? Fail { get; set; }

        public override Task CommitAsync(Collection collection, string partition, IReadOnlyList<DocumentWrite> writes, CancellationToken cancellationToken = default)
        {
            if (Fail?.Invoke(collection, partition) == true)
            {
                Fail = null;
                throw new StoreUnavailableException("in-memory store", "Injected outage of one write.");
            }
            return base.CommitAsync(collection, partition, writes, cancellationToken);
        }
    }
}
