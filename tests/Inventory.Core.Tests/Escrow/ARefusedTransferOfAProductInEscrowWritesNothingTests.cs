using Inventory.Application.Orders;
using Inventory.Application.Stock;
using Inventory.Domain;

namespace Inventory.Core.Tests.Escrow;

/// <summary>
/// "A refused request writes nothing" (docs/http-api.md, Errors). Found in review of 8909643: a transfer of a product in
/// escrow short in the product's partition has the buckets give back their free units (<c>TransferStock</c>:
/// <c>Escrow.GatherAsync</c>) and is decided again. A transfer refused on its own merits (more than the location has
/// available even with every bucket's free units) still gathers first: commits, and return entries in the product's and
/// the buckets' ledgers, for a request answered 409. The adjustment got a pre-check for exactly this (6ab6d9a,
/// <see cref="ARefusedAdjustmentOfAProductInEscrowWritesNothingTests"/>); the transfer did not.
/// </summary>
public class ARefusedTransferOfAProductInEscrowWritesNothingTests
{
    [Fact]
    public async Task A_transfer_of_more_than_the_stock_view_shows_available_is_refused_without_a_write()
    {
        var world = await EscrowWorld.CreateAsync(atL1: 100);
        await world.Instance(2).Reserve.ExecuteAsync(new ReserveCommand("O1", [new(EscrowWorld.Product, 3)])); // bucket 2: units free
        var app = world.Instance(1);
        var view = await app.Stock.GetStockAsync(EscrowWorld.Product);
        Assert.Equal(97, view.Locations.Single(l => l.LocationId == "L1").QuantityAvailable);
        var ledgerBefore = (await new Inventory.Testing.StockScenario(app).LedgerAsync(EscrowWorld.Product)).Count;
        var commits = world.Memory.Commits;

        await Assert.ThrowsAsync<InsufficientStockException>(() =>
            app.Transfer.ExecuteAsync(new TransferCommand(EscrowWorld.Product, "L1", "L2", 500, "move-too-many")));

        var ledgerAfter = (await new Inventory.Testing.StockScenario(app).LedgerAsync(EscrowWorld.Product)).Count;
        Assert.True(world.Memory.Commits == commits,
            $"the refused transfer (500 of the 97 available) made {world.Memory.Commits - commits} commits and {ledgerAfter - ledgerBefore} ledger entries");
    }
}
