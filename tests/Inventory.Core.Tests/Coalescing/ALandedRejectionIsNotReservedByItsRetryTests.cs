using Inventory.Application;
using Inventory.Application.Orders;
using Inventory.Domain;
using Inventory.Storage;
using Inventory.Testing;

namespace Inventory.Core.Tests.Coalescing;

/// <summary>
/// A claimant's commit that refuses its order (not enough stock: a rejection, recorded as the order's closed reservation
/// with no stock moved) lands, but its answer is lost (reported as a conflict). Before the batch decides again, units are
/// received. The retry, its claim still exclusive, did not look for the order: it reserved it, so the order held units
/// beside the rejection every reader by order id finds first. What the failed attempt created is read back now
/// (<see cref="StockRead.Attempted"/>), the rejection among it.
/// </summary>
public class ALandedRejectionIsNotReservedByItsRetryTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);

    /// <summary>Lets the first commit writing <see cref="Order"/>'s reservation land, runs <see cref="Meanwhile"/>, then answers it as a conflict.</summary>
    private sealed class LostAnswerStore(IDocumentStore inner) : DelegatingStore(inner)
    {
        public const string Order = "O1";
        public Func<Task>? Meanwhile { get; set; }
        public int Lost { get; private set; }

        public override async Task CommitAsync(Collection collection, string partition, IReadOnlyList<DocumentWrite> writes, CancellationToken ct = default)
        {
            await base.CommitAsync(collection, partition, writes, ct);
            if (collection != Collection.Products || Lost > 0 || !ReservationWrites.Orders(writes).Contains(Order)) return;
            Lost++;
            if (Meanwhile is { } meanwhile) await meanwhile();
            throw new CommitConflictException(ConflictKind.PreconditionFailed, null);
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task The_retry_of_a_landed_rejection_does_not_reserve_the_order(bool coalesce)
    {
        var memory = new InMemoryDocumentStore();
        var lossy = new LostAnswerStore(memory);
        var options = new ConcurrencyOptions { Coalesce = coalesce };
        var a = new StockScenario(new InventoryApplication(lossy, new ManualClock(Now), options));
        await a.WarehouseAsync("W1");
        await a.LocationAsync("W1", "L1");
        await a.ProductAsync("P");
        await a.StockAsync("P", "L1", 2);
        var b = new StockScenario(new InventoryApplication(memory, new ManualClock(Now), options)); // another instance

        lossy.Meanwhile = () => b.StockAsync("P", "L1", 5);
        var refused = await Record.ExceptionAsync(() => a.App.Reserve.ExecuteAsync(new ReserveCommand(LostAnswerStore.Order, [new("P", 3)])));

        Assert.Equal(1, lossy.Lost);
        Assert.IsType<InsufficientStockException>(refused); // what was decided, and recorded, first
        Assert.DoesNotContain(await a.LedgerAsync("P"), e => e.TxnType == TxnType.Reserve);
        Assert.Equal(0, (await a.App.Stock.GetStockAsync("P")).QuantityReserved);
        Assert.Equal(OrderReservationStatus.Rejected, (await a.App.Orders.ViewAsync(LostAnswerStore.Order, default)).Status);
        await a.AssertBooksBalanceAsync("P");
    }
}
