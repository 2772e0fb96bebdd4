using Inventory.Application.Replenishment;
using Inventory.Testing;

namespace Inventory.Core.Tests.Replenishment;

/// <summary>
/// From the team's notes: a reorder whose claim is in the product's supply with neither its order nor its intent (the
/// open-saga entry gone) is recreated from the claim by the next trigger or scan, which dated it from today in UTC + lead
/// time, while every other reorder (the trigger's, the scan's, one finished from its intent) is dated from today in the
/// receiving warehouse's time zone.
/// </summary>
public class ALostReorderIsRecreatedWithTheWarehousesDateTests
{
    private sealed class Crash : Exception;

    [Fact]
    public async Task A_reorder_lost_with_its_intent_is_recreated_expected_on_the_warehouses_today_plus_lead_time()
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
        var intents = new List<Inventory.Application.Orders.OpenSaga>();
        await foreach (var open in app.Orders.OpenSagasAsync(default)) intents.Add(open);
        var intent = Assert.Single(intents);
        await app.Orders.DelistAsync(intent.Kind, intent.OrderId, default); // the intent is lost: only the claim is left

        await app.Reorder.AfterDropAsync("A"); // the next drop recreates the order from the claim

        var raised = Assert.Single(await app.Outbox.ListAsync());
        Assert.Equal(intent.OrderId, raised.PoId);
        Assert.Equal(new DateOnly(2026, 12, 1), raised.ExpectedDate); // 2026-11-30: today in UTC + 3
    }
}
