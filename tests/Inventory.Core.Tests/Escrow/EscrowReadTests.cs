using Inventory.Application.Lists;
using Inventory.Application.Orders;
using Inventory.Domain;

namespace Inventory.Core.Tests.Escrow;

/// <summary>
/// Issue 14, escrow buckets, step 5 of the design: what reads a product sums it with its buckets (the units a bucket
/// has not reserved are available, not reserved), buckets are never listed as products, and the product's audit
/// checks every bucket's books and that no bucket has more than the product holds for it.
/// </summary>
public class EscrowReadTests
{
    [Fact]
    public async Task The_stock_view_the_lists_and_replenishment_count_what_the_buckets_have_not_reserved_as_available()
    {
        var world = await EscrowWorld.CreateAsync(atL1: 100);
        await world.Instance(2).Reserve.ExecuteAsync(new ReserveCommand("O1", [new(EscrowWorld.Product, 3)]));
        await world.Instance(3).Reserve.ExecuteAsync(new ReserveCommand("O2", [new(EscrowWorld.Product, 4)]));
        Assert.True((await world.StockOfAsync("P")).Reserved > 7, "the product holds more than the orders for its buckets");

        var view = await world.Instance(1).Stock.GetStockAsync(EscrowWorld.Product);

        Assert.Equal((100, 7, 93), (view.QuantityOnHand, view.QuantityReserved, view.QuantityAvailable));
        var level = await world.Instance(1).Get<Inventory.Application.Replenishment.ReplenishmentQueries>().GetAsync(EscrowWorld.Product);
        Assert.Equal(93, level.Position.Available);
        var listed = Assert.Single((await world.Instance(1).Get<ProductList>().ListAsync(new ProductFilter())).Items);
        Assert.Equal((100, 7, 93), (listed.QuantityOnHand, listed.QuantityReserved, listed.QuantityAvailable));
        var atL1 = Assert.Single((await world.Instance(1).Get<LocationContents>().ListAsync("W1", "L1")).Items);
        Assert.Equal((100, 7, 93), (atL1.QuantityOnHand, atL1.QuantityReserved, atL1.QuantityAvailable));
    }

    [Fact]
    public async Task Buckets_are_not_listed_as_products_anywhere()
    {
        var world = await EscrowWorld.CreateAsync(atL1: 100);
        await world.Instance(2).Reserve.ExecuteAsync(new ReserveCommand("O1", [new(EscrowWorld.Product, 3)]));
        var app = world.Instance(1);

        var atL1 = await app.Get<LocationContents>().ListAsync("W1", "L1");
        Assert.Equal([EscrowWorld.Product], atL1.Items.Select(i => i.ProductId));
        var ids = new List<string>();
        string? token = null;
        do
        {
            var (page, next) = await app.Partitions.ProductIdsPageAsync(100, token, CancellationToken.None); // a page may be short, even empty
            ids.AddRange(page);
            token = next;
        } while (token is not null);
        Assert.Equal([EscrowWorld.Product], ids);
    }

    [Fact]
    public async Task The_products_reservation_list_shows_the_orders_reserved_in_its_buckets_and_not_the_holders()
    {
        var world = await EscrowWorld.CreateAsync(atL1: 100);
        await world.Instance(2).Reserve.ExecuteAsync(new ReserveCommand("O1", [new(EscrowWorld.Product, 3)]));
        await world.Instance(3).Reserve.ExecuteAsync(new ReserveCommand("O2", [new(EscrowWorld.Product, 4)]));
        await world.Instance(3).Release.ExecuteAsync(new ReservationChangeCommand("O2"));
        var plain = new Inventory.Testing.InventoryApplication(world.Store); // escrow off: reserves in the product's partition
        await plain.Reserve.ExecuteAsync(new ReserveCommand("O3", [new(EscrowWorld.Product, 2)]));
        var list = world.Instance(1).Get<ProductReservations>();

        var all = new List<ProductReservationItem>();
        string? token = null;
        do
        {
            var page = await list.ListAsync(EscrowWorld.Product, null, pageSize: 1, token);
            all.AddRange(page.Items);
            token = page.ContinuationToken;
        } while (token is not null);

        Assert.Equal(["O1", "O2", "O3"], all.Select(r => r.OrderId).Order(StringComparer.Ordinal));
        Assert.All(all, r => Assert.Equal(EscrowWorld.Product, r.ProductId));
        var released = await list.ListAsync(EscrowWorld.Product, ReservationStatus.Released);
        Assert.Equal("O2", Assert.Single(released.Items).OrderId);
    }

    [Fact]
    public async Task The_products_audit_finds_a_bucket_holding_more_than_the_product_granted_it()
    {
        var world = await EscrowWorld.CreateAsync(atL1: 100);
        var app = world.Instance(2);
        await app.Reserve.ExecuteAsync(new ReserveCommand("O1", [new(EscrowWorld.Product, 3)]));
        Assert.True((await app.Invariants.CheckAsync(EscrowWorld.Product)).Holds);

        // Units admitted with no grant behind them (what a bug in a move would leave): the bucket's own books balance.
        await app.Committer.RunAsync("P~2", Inventory.Application.StockRead.ForOperation(OperationKind.Grant, "forged"),
            s => s.Admit("forged", [new EscrowLot("L1", "W1", LocationType.Bulk, 5)], "test", DateTimeOffset.UtcNow), CancellationToken.None);

        var report = await app.Invariants.CheckAsync(EscrowWorld.Product);
        Assert.Contains(report.Violations, v => v.StartsWith("bucket 2: ", StringComparison.Ordinal) && v.Contains("L1", StringComparison.Ordinal));
    }
}
