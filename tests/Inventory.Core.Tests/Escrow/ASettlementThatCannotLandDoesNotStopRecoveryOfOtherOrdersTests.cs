using Inventory.Application.Escrow;
using Inventory.Application.Orders;
using Inventory.Application.Stock;
using Inventory.Domain;
using Inventory.Testing;

namespace Inventory.Core.Tests.Escrow;

/// <summary>
/// Found in review (order lifecycle): a fulfilment of a bucket order whose process dies after the bucket shipped and before
/// the product's settlement leaves its intent open for recovery. If a forced count lowers the product's on hand at that
/// location meanwhile (the documented residual window, widened to the recovery delay by the crash), the settlement can
/// never land: <c>ProductStock.Move</c> throws <see cref="StockInvariantException"/> (an <see cref="InvalidOperationException"/>,
/// not a <see cref="DomainException"/>). <see cref="ResumeReservationChanges"/> only catches domain exceptions and
/// <see cref="RecoverOrders"/> only domain and store failures, so the exception ends the whole sweep: every open saga
/// listed after that order (here another order's pending release, its units held) is never finished, on this run or any
/// later one, since the sweep meets the same entry first each time. A fix: <see cref="RecoverOrders"/> counts any
/// exception of one saga as that saga's failure and goes on (and/or the settlement reports a typed refusal, e.g.
/// <see cref="InsufficientStockException"/>, that the change records on its line).
/// </summary>
public class ASettlementThatCannotLandDoesNotStopRecoveryOfOtherOrdersTests
{
    [Fact]
    public async Task Recovery_goes_on_past_a_shipment_whose_settlement_cannot_land()
    {
        var world = await EscrowWorld.CreateAsync(atL1: 100);
        var app = world.Instance(1);
        // Two orders in bucket 1; the second's id is one the sweep reaches after the first's.
        var first = "O1";
        var second = Enumerable.Range(0, 200).Select(i => $"O2-{i}")
            .First(id => string.CompareOrdinal(OrderHeaders.OpenPartition(id), OrderHeaders.OpenPartition(first)) > 0);
        await app.Reserve.ExecuteAsync(new ReserveCommand(first, [new(EscrowWorld.Product, 3)]));
        await app.Reserve.ExecuteAsync(new ReserveCommand(second, [new(EscrowWorld.Product, 2)]));

        // O1's fulfilment: the process dies right before the settlement (enlist, intent, the bucket's shipment, settlement...).
        world.Store.Arm(4);
        await Assert.ThrowsAsync<StoreFaultException>(() => app.Fulfill.ExecuteAsync(new ReservationChangeCommand(first, null, "ship-1")));
        // The second order's release: its process dies right after the intent is recorded (enlist, intent, ...).
        world.Store.Arm(3);
        await Assert.ThrowsAsync<StoreFaultException>(() => world.Instance(2).Release.ExecuteAsync(new ReservationChangeCommand(second, null, "rel-1")));
        world.Store.Arm();
        // A forced count finds none of P at L1 before recovery runs.
        await world.Instance(3).Adjust.ExecuteAsync(new AdjustCommand(EscrowWorld.Product, "L1", null, 0, "count", "count-1", Force: true));

        var recovery = new InventoryApplication(world.Memory)
        {
            EscrowOptions = new EscrowOptions { Products = new HashSet<string>(StringComparer.Ordinal) { EscrowWorld.Product }, Buckets = 4, Bucket = 4 },
            OrderOptions = new OrderOptions { RecoverAfterSeconds = 0 },
        };
        var swept = await Record.ExceptionAsync(() => recovery.RecoverOrders.ExecuteAsync());
        swept ??= await Record.ExceptionAsync(() => recovery.RecoverOrders.ExecuteAsync()); // and the next run

        var released = Assert.Single((await recovery.Orders.ViewAsync(second, CancellationToken.None)).Lines);
        Assert.True(swept is null && released.Remaining == 0,
            $"recovery {(swept is null ? "returned" : $"threw {swept.GetType().Name} ({swept.Message})")}; order {second}'s recorded release "
            + $"left it holding {released.Remaining} (status {released.Status})");
    }
}
