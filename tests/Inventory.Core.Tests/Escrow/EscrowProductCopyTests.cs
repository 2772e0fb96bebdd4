using Inventory.Application;
using Inventory.Application.Orders;
using Inventory.Domain;

namespace Inventory.Core.Tests.Escrow;

/// <summary>
/// A bucket decides its orders on its own copy of the product's document (made with the bucket). A merchant who
/// deactivates a product in escrow expects it to stop selling at once, including from units its buckets already hold:
/// every save of the product is copied to its buckets.
/// </summary>
public class EscrowProductCopyTests
{
    private static ReserveCommand Order(string id) => new(id, [new(EscrowWorld.Product, 1)]);

    private static async Task SaveAsync(EscrowWorld world, bool active)
    {
        var app = world.Instance(3);
        var product = (await new ProductPartitions(world.Memory).ProductAsync(EscrowWorld.Product, CancellationToken.None))!;
        await app.SaveProduct.ExecuteAsync(product with { IsActive = active });
    }

    [Fact]
    public async Task A_deactivated_product_is_refused_in_a_bucket_that_still_holds_its_units_and_sells_again_once_reactivated()
    {
        var world = await EscrowWorld.CreateAsync(atL1: 100);
        var app = world.Instance(1);
        await app.Reserve.ExecuteAsync(Order("O1")); // bucket 1 granted 25, one reserved

        await SaveAsync(world, active: false);
        var refused = await Assert.ThrowsAsync<InvalidStateException>(() => app.Reserve.ExecuteAsync(Order("O2")));
        Assert.Contains("inactive", refused.Message, StringComparison.Ordinal);
        Assert.Equal((25, 1), await world.StockOfAsync("P~1")); // nothing reserved

        await SaveAsync(world, active: true);
        Assert.Equal(1, (await app.Reserve.ExecuteAsync(Order("O3"))).Reservation.Lines[0].Reserved);
        Assert.Equal((25, 2), await world.StockOfAsync("P~1"));
        await world.AssertEscrowBalancesAsync();
    }

    [Fact]
    public async Task A_product_saved_while_another_save_lands_leaves_every_bucket_with_the_last_one()
    {
        var world = await EscrowWorld.CreateAsync(atL1: 100);
        for (var b = 1; b <= 4; b++) await world.Instance(b).Reserve.ExecuteAsync(Order($"O{b}"));

        var product = (await new ProductPartitions(world.Memory).ProductAsync(EscrowWorld.Product, CancellationToken.None))!;
        await Task.WhenAll(Enumerable.Range(0, 8).Select(i => world.Instance(1).SaveProduct.ExecuteAsync(product with { Name = $"name {i}" })));

        var partitions = new ProductPartitions(world.Memory);
        var last = (await partitions.ProductAsync(EscrowWorld.Product, CancellationToken.None))!;
        for (var b = 1; b <= 4; b++)
            Assert.Equal(last with { ProductId = $"P~{b}" }, await partitions.ProductAsync($"P~{b}", CancellationToken.None));
    }

    [Fact]
    public async Task The_audit_reports_a_bucket_whose_copy_of_the_product_is_not_the_products_until_it_is_saved_again()
    {
        var world = await EscrowWorld.CreateAsync(atL1: 100);
        var app = world.Instance(1);
        await app.Reserve.ExecuteAsync(Order("O1"));
        var partitions = new ProductPartitions(world.Memory);
        var (copy, etag) = await partitions.ProductWithETagAsync("P~1", CancellationToken.None);
        await partitions.SaveProductAsync(copy! with { IsActive = false }, etag, CancellationToken.None); // a copy left by a crash

        var report = await app.Invariants.CheckAsync(EscrowWorld.Product);
        Assert.Contains(report.Violations, v => v.StartsWith("bucket 1: ", StringComparison.Ordinal) && v.Contains("copy of the product", StringComparison.Ordinal));

        await SaveAsync(world, active: true);
        Assert.True((await app.Invariants.CheckAsync(EscrowWorld.Product)).Holds);
    }
}
