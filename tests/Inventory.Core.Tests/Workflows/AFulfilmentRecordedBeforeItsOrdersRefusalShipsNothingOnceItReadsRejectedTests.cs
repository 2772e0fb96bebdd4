using Inventory.Application.Orders;
using Inventory.Domain;
using Inventory.Storage;
using Inventory.Testing;

namespace Inventory.Core.Tests.Workflows;

/// <summary>
/// Found in review (2026-12-03), after <see cref="AFulfilmentOfAnOrderRefusedOnItsHeaderShipsNothingTests"/>: a fulfilment
/// of a one-product order recorded its intent while a twin held the order's 3 units and the claimant's refusal had not
/// reached the header yet; its process died before its step. The refusal then landed (the claimant dying before its
/// compensation). Finished by recovery (<see cref="ResumeReservationChanges"/>) or by its request sent again, the step
/// shipped the twin's units of an order reading REJECTED, where a new fulfilment is refused before anything is written.
/// A step of a fulfilment that reads the refusal on the header, not applied before, is refused as a new one is.
/// </summary>
public class AFulfilmentRecordedBeforeItsOrdersRefusalShipsNothingOnceItReadsRejectedTests
{
    private static readonly ReservationChangeCommand Fulfil = new(RefusedClaimant.OrderId, Reference: "ship-1");

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_resumed_fulfilment_ships_nothing(bool sentAgain)
    {
        var w = await RefusedClaimant.StartAsync(twinReserves: true, beforeItLands: async (world, clock) =>
            await Assert.ThrowsAnyAsync<Exception>(() => new InventoryApplication(new NoStockCommits(world.Memory), clock).Fulfill.ExecuteAsync(Fulfil)));
        Assert.StartsWith("Reserved 3/3/3", w.TwinAnswer);
        Assert.Single(await w.Instance().Orders.OpenIntentsAsync(RefusedClaimant.OrderId, default));

        w.Clock.Advance(TimeSpan.FromSeconds(61));
        if (sentAgain)
            Assert.StartsWith(nameof(InvalidStateException) + " invalid-state", await StalledClaimant.Answer(() => w.Instance().Fulfill.ExecuteAsync(Fulfil)));
        else
            await w.Instance().ResumeChanges.ExecuteAsync(RefusedClaimant.OrderId);

        Assert.Equal(100, (await w.Instance().Stock.GetStockAsync(Escrow.EscrowWorld.Product)).QuantityOnHand);
        Assert.Empty(await w.Instance().Orders.OpenIntentsAsync(RefusedClaimant.OrderId, default));
        Assert.Equal(0, (await w.Instance().RecoverOrders.ExecuteAsync()).Failed);
        Assert.Equal(1, await w.ReservedAsync()); // "warm" only: the compensation gave the twin's units back
        var view = await w.Instance().Orders.ViewAsync(RefusedClaimant.OrderId, default);
        Assert.Equal((OrderReservationStatus.Rejected, 0L), (view.Status, view.Lines.Sum(l => l.Shipped)));
        await new StockScenario(w.Instance()).AssertBooksBalanceAsync(Escrow.EscrowWorld.Product);
    }

    /// <summary>The fulfilment's process: it records its intent, then dies at its first commit in Products.</summary>
    private sealed class NoStockCommits(IDocumentStore inner) : DelegatingStore(inner)
    {
        public override Task CommitAsync(Collection collection, string partition, IReadOnlyList<DocumentWrite> writes, CancellationToken cancellationToken = default) =>
            collection == Collection.Products ? throw new StoreFaultException(0, FaultSide.BeforeApplying, collection, partition)
                : base.CommitAsync(collection, partition, writes, cancellationToken);
    }
}
