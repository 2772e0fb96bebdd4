using Inventory.Application.Replenishment;
using Inventory.Testing;

namespace Inventory.Core.Tests.Replenishment;

/// <summary>
/// Found in review: a reorder that died after claiming the product's supply and before creating its order is finished by
/// the next trigger or scan (<c>ReorderProduct.FinishPendingAsync</c>), which does not resume the saga from its intent (the
/// order in its open-saga entry) but drafts another order from the claim: the expected date becomes today in UTC + lead
/// time instead of today in the warehouse's time zone + lead time (and the warehouse is chosen again), and the intent in
/// the entry is overwritten with it. Forward recovery or a retry would have created the order the intent named.
/// </summary>
public class AReorderFinishedByTheNextTriggerIsTheOrderItsIntentNamedTests
{
    private sealed class Crash : Exception;

    [Fact]
    public async Task A_reorder_that_died_before_its_order_is_finished_with_the_expected_date_of_the_warehouse_time_zone()
    {
        // 2026-11-27 23:30 UTC is already the 28th in Tokyo: the order is expected on 2026-12-01 (lead time 3 days).
        var store = new InMemoryDocumentStore();
        var r = await ReplenishmentScenario.CreateAsync(store, timezone: "Asia/Tokyo", now: new DateTimeOffset(2026, 11, 27, 23, 30, 0, TimeSpan.Zero));
        await r.ProductAsync("A", stock: 5, reorderPoint: 10, leadTimeDays: 3);
        var writes = 0;
        store.BeforeCommit = (_, _, _) => { if (++writes > 2) throw new Crash(); }; // intent, claim; dies before the order
        await Assert.ThrowsAsync<Crash>(() => r.App.Reorder.AfterDropAsync("A"));
        store.BeforeCommit = null;

        var app = new InventoryApplication(store, r.Clock) { ReplenishmentOptions = new ReplenishmentOptions { DefaultWarehouseId = "W1" } };
        await app.Reorder.AfterDropAsync("A"); // the next drop, a minute later, on another instance

        var raised = Assert.Single(await app.Outbox.ListAsync());
        Assert.Equal(new DateOnly(2026, 12, 1), raised.ExpectedDate); // 2026-11-30: today in UTC + 3
    }
}
