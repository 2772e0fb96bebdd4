using Inventory.Application.Orders;
using Inventory.Application.Stock;
using Inventory.Domain;

namespace Inventory.Core.Tests.Escrow;

/// <summary>
/// "A refused request writes nothing" (docs/http-api.md, Errors; docs/architecture.md, Escrow buckets: "nor does a replay
/// or a reference bound to another product (read first)"). Found in review of ec9c814/8909643: a transfer of a product in
/// escrow short in the product's partition gathers its buckets' free units and is decided again
/// (<c>TransferStock.ExecuteAsync</c>). Its pre-check before gathering looks at the quantities alone, never at the
/// transferId's claim: <c>Movement.RunAsync</c> decides before it claims (nothing in flight), so a transfer whose
/// transferId is already bound to another product is first refused as short, then gathers (commits, return entries in
/// the buckets' and product's ledgers), and only then is refused 409 reference-conflict. The adjustment got
/// <c>Movement.AnsweredWithoutTheBucketsAsync</c>; the transfer did not.
/// </summary>
public class ATransferRefusedForAReferenceOfAnotherProductWritesNothingTests
{
    [Fact]
    public async Task A_transfer_reusing_another_products_transfer_id_is_refused_without_a_write()
    {
        var world = await EscrowWorld.CreateAsync(atL1: 100);
        var app = world.Instance(1);
        var s = new Inventory.Testing.StockScenario(app);
        await s.ProductAsync("Q");
        await s.StockAsync("Q", "L1", 10);
        await app.Transfer.ExecuteAsync(new TransferCommand("Q", "L1", "L2", 1, "move-shared")); // binds move-shared to Q
        await app.Reserve.ExecuteAsync(new ReserveCommand("O1", [new(EscrowWorld.Product, 1)])); // bucket 1: granted 25, 24 free
        var ledgerBefore = (await s.LedgerAsync(EscrowWorld.Product)).Count;
        var commits = world.Memory.Commits;

        // 80 of the 99 available at L1: short in the product's partition (75), enough with the bucket's free units.
        // Refused (409 reference-conflict here; insufficient-stock as without escrow would do as well): either way, nothing written.
        await Assert.ThrowsAnyAsync<DomainException>(() =>
            app.Transfer.ExecuteAsync(new TransferCommand(EscrowWorld.Product, "L1", "L2", 80, "move-shared")));

        var ledgerAfter = (await s.LedgerAsync(EscrowWorld.Product)).Count;
        Assert.True(world.Memory.Commits == commits,
            $"the transfer refused for a reference bound to Q made {world.Memory.Commits - commits} commits and {ledgerAfter - ledgerBefore} ledger entries");
    }
}
