using Inventory.Application;
using Inventory.Application.Orders;
using Inventory.Domain;
using Inventory.Testing;

namespace Inventory.Storage.Cosmos.Tests.Shapes;

/// <summary>
/// Reservations as the application writes them, each document through the Cosmos item mapping: order headers, the
/// open-saga index (partition <c>open|nn</c>, whose entries name their own order), change intents, hold entries,
/// product reservations and ledger packs, webhook records.
/// </summary>
public class OrderDocumentsReadBackFromCosmosTests
{
    private static bool Open(string partition) => partition.StartsWith("open|", StringComparison.Ordinal);

    [Fact]
    public async Task A_single_product_reservation_and_its_fulfilment_write_only_shapes_Cosmos_keeps()
    {
        var world = await ShapeWorld.CreateAsync();

        await world.App.Reserve.ExecuteAsync(new ReserveCommand("ORD-1001", [new(ShapeWorld.A, 2), new(ShapeWorld.A, 1)], HoldMinutes: 30));
        await world.App.Fulfill.ExecuteAsync(new ReservationChangeCommand("ORD-1001", null, "ship-1"));

        world.Store.AssertNoProblems();
        Assert.Contains(world.Writes(Collection.Orders), w => w.Partition == "ORD-1001");
        Assert.NotEmpty(world.Writes(Collection.Holds));
    }

    [Fact]
    public async Task A_multi_product_order_reserved_changed_fulfilled_and_released_writes_only_shapes_Cosmos_keeps()
    {
        var world = await ShapeWorld.CreateAsync();
        var app = world.App;

        await app.Reserve.ExecuteAsync(new ReserveCommand("ORD-2002", [new(ShapeWorld.A, 5), new(ShapeWorld.B, 4)], Policy: ReservationPolicy.Partial,
            HoldMinutes: 60, PerformedBy: "shopify:webhook"));
        // A change of some lines under a reference (the partial shipment), then the rest released.
        await app.Fulfill.ExecuteAsync(new ReservationChangeCommand("ORD-2002", [new(ShapeWorld.A, 2), new(ShapeWorld.B, 1)], "ship-1"));
        await app.Release.ExecuteAsync(new ReservationChangeCommand("ORD-2002", [new(ShapeWorld.B)], "cancel-B"));
        await app.Fulfill.ExecuteAsync(new ReservationChangeCommand("ORD-2002"));
        // An order refused whole: its compensation and rejection are recorded too.
        await Assert.ThrowsAsync<InsufficientStockException>(() =>
            app.Reserve.ExecuteAsync(new ReserveCommand("ORD-2003", [new(ShapeWorld.A, 1), new(ShapeWorld.B, 1_000)])));
        await app.RecoverOrders.ExecuteAsync();

        world.Store.AssertNoProblems();
        Assert.Contains(world.Store.Kept, w => w.Collection == Collection.Orders && Open(w.Partition)); // the shape 30f407a was about
        Assert.Contains(world.Writes(Collection.Orders, p => p == "ORD-2002"), w => w.Id.StartsWith("intent|", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Holds_expiring_write_only_shapes_Cosmos_keeps()
    {
        var world = await ShapeWorld.CreateAsync();
        await world.App.Reserve.ExecuteAsync(new ReserveCommand("ORD-3003", [new(ShapeWorld.A, 3), new(ShapeWorld.B, 1)], HoldMinutes: 15));
        await world.App.Reserve.ExecuteAsync(new ReserveCommand("ORD-3004", [new(ShapeWorld.A, 1)], HoldMinutes: 15));

        world.Clock.Advance(TimeSpan.FromMinutes(20));
        var sweep = await world.App.ExpireHolds.ExecuteAsync();

        Assert.Equal(2, sweep.OrdersReleased);
        world.Store.AssertNoProblems();
        Assert.Contains(world.Writes(Collection.Holds), w => w.Kind == "delete");
    }

    [Fact]
    public async Task Ids_as_long_as_the_API_accepts_give_documents_Cosmos_keeps()
    {
        // Order ids, references and product ids may each be 128 characters: ids built from two of them grow past that
        // (a product's change record, chg|{orderId}|{kind}|given|{reference}, reaches 275).
        string Long(char c) => c + new string('x', Limits.MaxIdLength - 2) + c;
        var world = await ShapeWorld.CreateAsync();
        var product = Long('P');
        await world.App.SaveProduct.ExecuteAsync(ShapeWorld.Product(product) with { Sku = new string('S', Limits.MaxSkuLength) });
        await world.App.Receive.ExecuteAsync(new(product, ShapeWorld.Pick, 10, Long('R')));
        var order = Long('O');

        await world.App.Reserve.ExecuteAsync(new ReserveCommand(order, [new(product, 4), new(ShapeWorld.A, 1)], HoldMinutes: 10));
        await world.App.Fulfill.ExecuteAsync(new ReservationChangeCommand(order, [new(product, 1)], Long('F')));
        await world.App.Release.ExecuteAsync(new ReservationChangeCommand(order, null, Long('C')));

        world.Store.AssertNoProblems();
    }

    [Fact]
    public async Task Webhook_deliveries_and_attention_items_write_only_shapes_Cosmos_keeps()
    {
        var world = await ShapeWorld.CreateAsync();
        var deliveries = world.App.Deliveries;

        await deliveries.RecordAsync(new ShopifyDelivery("b54557e4-ec0b-4c52-9a1f-4f4a2a3c4d5e", "orders/create", "ORD-4004", "reserved", ShapeWorld.Start));
        await deliveries.MarkCancelledAsync("ORD-4004", ShapeWorld.Start);
        await deliveries.NeedsAttentionAsync(new AttentionItem("ORD-4005", "gid://shopify/Order/4005", "orders/create", "unknown-sku",
            "SKU « Z/9#1 » n'existe pas <here>", ShapeWorld.Start));

        world.Store.AssertNoProblems();
        Assert.Equal(3, world.Store.Seen.Count(w => w.Collection is Collection.Orders or Collection.Quarantine && w.Partition is "ORD-4004" or "shopify"));
    }

    /// <summary>A view of the same store without Cosmos DB's partition cap: the application of the build before, which put headers in claim buckets.</summary>
    private sealed class ClaimBucketsBuild(CosmosShapeStore inner) : DelegatingStore(inner)
    {
        public override StoreLimits Limits => base.Limits with { MaxPartitionBytes = null };
    }

    [Fact]
    public async Task Headers_a_previous_build_put_in_claim_buckets_and_this_build_changes_in_place_write_only_shapes_Cosmos_keeps()
    {
        var world = await ShapeWorld.CreateAsync();
        var before = new InventoryApplication(new ClaimBucketsBuild(world.Store), world.Clock,
            new ConcurrencyOptions { BaseDelay = TimeSpan.Zero, MaxDelay = TimeSpan.Zero });
        await before.Reserve.ExecuteAsync(new ReserveCommand("ORD-5005", [new(ShapeWorld.A, 2), new(ShapeWorld.B, 1)]));
        await before.Reserve.ExecuteAsync(new ReserveCommand("ORD-5006", [new(ShapeWorld.A, 1)]));

        await world.App.Fulfill.ExecuteAsync(new ReservationChangeCommand("ORD-5005", [new(ShapeWorld.A, 1)], "ship-1"));
        await world.App.Release.ExecuteAsync(new ReservationChangeCommand("ORD-5005", null, "cancel"));
        await world.App.Release.ExecuteAsync(new ReservationChangeCommand("ORD-5006"));
        await world.App.Reserve.ExecuteAsync(new ReserveCommand("ORD-5007", [new(ShapeWorld.A, 1)]));

        world.Store.AssertNoProblems();
        static bool InBucket(SeenWrite w) => w.Collection == Collection.Orders && w.Partition.StartsWith(OrderHeaders.HeaderPartitionPrefix, StringComparison.Ordinal);
        Assert.Contains(world.Store.Seen, w => InBucket(w) && w.Id == "ORD-5005" && w.Kind == "replace"); // changed where the build before put it
        Assert.Contains(world.Store.Kept, w => InBucket(w) && w.Id == "ORD-5005"); // its orderId kept aside, as Cosmos needs
        Assert.Contains(world.Writes(Collection.Orders, p => p == "ORD-5007"), w => w.Id == "order"); // a new one in its own partition
        Assert.Equal(OrderReservationStatus.Released, (await world.App.Orders.ViewAsync("ORD-5006", default)).Status);
    }
}
