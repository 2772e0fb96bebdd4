using Inventory.Application.Orders;
using Inventory.Core.Tests.Escrow;
using Inventory.Domain;
using Inventory.Storage;
using Inventory.Testing;

namespace Inventory.Core.Tests.Workflows;

/// <summary>
/// Found in review (2026-12-03, after <see cref="AReleaseOfAnOrderWhoseClaimantStalledHoldsNothingAfterTests"/>): the
/// claimant of a one-product order is refused for a reason its product cannot record (the product deactivated after it
/// was seen active), then stalls before writing the refusal on the header past its exclusive time. A cancel reads the
/// header (no refusal yet), closes the order in its product (released, nothing held) and is answered 200 RELEASED. The
/// claimant then records REJECTED on the header; its compensation finds the cancel's record and leaves it. From then on
/// the order read as REJECTED: the cancel sent again was answered REJECTED, unlike its first answer, and the claimant
/// was answered its refusal though the order was closed by the cancel first. The product records the order's end first.
/// </summary>
public class AnOrderCancelledBeforeItsClaimantsRefusalReachedItsProductStaysReleasedTests
{
    private const string OrderId = "O1";
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);

    /// <summary>Holds the first change of an order header (a replace; a claim creates) until released.</summary>
    private sealed class GateHeaderChange(IDocumentStore inner) : DelegatingStore(inner)
    {
        public TaskCompletionSource Reached { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int passed;

        public override async Task CommitAsync(Collection collection, string partition, IReadOnlyList<DocumentWrite> writes, CancellationToken cancellationToken = default)
        {
            if (collection == Collection.Orders && writes.Any(w => w is DocumentWrite.Replace) && Interlocked.Exchange(ref passed, 1) == 0)
            {
                Reached.SetResult();
                await Release.Task;
            }
            await base.CommitAsync(collection, partition, writes, cancellationToken);
        }
    }

    [Fact]
    public async Task A_cancel_that_closed_the_order_before_the_claimants_refusal_landed_is_the_orders_end()
    {
        var world = await EscrowWorld.CreateAsync(atL1: 100);
        var clock = new ManualClock(Now);
        var gate = new GateHeaderChange(world.Memory);
        var claimantApp = new InventoryApplication(gate, clock);
        await claimantApp.Reserve.ExecuteAsync(new ReserveCommand("warm", [new(EscrowWorld.Product, 1)])); // P seen active: not read again for a second
        await claimantApp.SaveProduct.ExecuteAsync(new Product { ProductId = EscrowWorld.Product, Sku = "SKU-P", Name = "P", IsActive = false });

        // The claimant is refused by its product's decision and held at the refusal's header write, past its exclusive time.
        var order = new ReserveCommand(OrderId, [new(EscrowWorld.Product, 3)]);
        var claimant = Task.Run(() => claimantApp.Reserve.ExecuteAsync(order));
        await gate.Reached.Task.WaitAsync(TimeSpan.FromSeconds(30));
        clock.Advance(TimeSpan.FromSeconds(10));

        var later = new InventoryApplication(world.Memory, clock);
        var cancel = new ReservationChangeCommand(OrderId, Reference: "cancel-1");
        var released = await StalledClaimant.Answer(() => later.Release.ExecuteAsync(cancel));
        gate.Release.SetResult();
        var reserved = await StalledClaimant.Answer(async () => (await claimant).Reservation);

        Assert.Equal("Released P:nothing-held 3/0/0", released);
        Assert.Equal("Released 3/0/0", reserved); // as a claimant whose late commit lost to the close is answered
        Assert.Equal(released, await StalledClaimant.Answer(() => new InventoryApplication(world.Memory, clock).Release.ExecuteAsync(cancel)));
        Assert.Equal(reserved, await StalledClaimant.Answer(async () => (await new InventoryApplication(world.Memory, clock).Reserve.ExecuteAsync(order)).Reservation));
        Assert.Equal(OrderReservationStatus.Released, (await later.Orders.ViewAsync(OrderId, default)).Status);
        Assert.Equal(1, (await later.Stock.GetStockAsync(EscrowWorld.Product)).QuantityReserved); // "warm" only
        await new StockScenario(later).AssertBooksBalanceAsync(EscrowWorld.Product);
    }
}
