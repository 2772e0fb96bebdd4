using Inventory.Application.Orders;
using Inventory.Application.Stock;
using Inventory.Domain;

namespace Inventory.Core.Tests.Escrow;

/// <summary>
/// "A refused request writes nothing" (docs/http-api.md, Errors). Found in review of 6ab6d9a: a decrease of a product in
/// escrow now gathers its buckets' free units only when it would not be refused even with them
/// (<c>AdjustStock.RefusedEvenWithTheBucketsAsync</c>), but that pre-check looks at the quantities alone. A decrease
/// whose adjustmentId is already bound to another product (409 reference-conflict, <c>ReferenceClaims</c>) passes it,
/// gathers (commits, return entries in the ledgers) and is then refused: the very case the review's own test names
/// ("or a reference bound to another product") is left out.
/// </summary>
public class AnAdjustmentRefusedForAReferenceOfAnotherProductWritesNothingTests
{
    [Fact]
    public async Task A_decrease_reusing_another_products_adjustment_id_is_refused_without_a_write()
    {
        var world = await EscrowWorld.CreateAsync(atL1: 100);
        var app = world.Instance(1);
        var s = new Inventory.Testing.StockScenario(app);
        await s.ProductAsync("Q");
        await s.StockAsync("Q", "L1", 10);
        await app.Adjust.ExecuteAsync(new AdjustCommand("Q", "L1", -1, null, "damaged", "adj-shared")); // binds adj-shared to Q
        await world.Instance(2).Reserve.ExecuteAsync(new ReserveCommand("O1", [new(EscrowWorld.Product, 3)])); // bucket 2: units free
        var ledgerBefore = (await s.LedgerAsync(EscrowWorld.Product)).Count;
        var commits = world.Memory.Commits;

        await Assert.ThrowsAsync<ReferenceConflictException>(() =>
            app.Adjust.ExecuteAsync(new AdjustCommand(EscrowWorld.Product, "L1", -5, null, "damaged", "adj-shared")));

        var ledgerAfter = (await s.LedgerAsync(EscrowWorld.Product)).Count;
        Assert.True(world.Memory.Commits == commits,
            $"the decrease refused for a reference bound to Q made {world.Memory.Commits - commits} commits and {ledgerAfter - ledgerBefore} ledger entries");
    }
}
