using Inventory.Application.Orders;
using Inventory.Application.Stock;
using Inventory.Domain;
using Inventory.Storage;
using Inventory.Testing;

namespace Inventory.Core.Tests.Workflows;

/// <summary>
/// Found in review: a fulfilment's intent is abandoned (deleted, and the order delisted) by a driver whose only step was
/// refused, while another driver of the same intent (the caller's retry, or recovery) decided the same step on a later
/// state and shipped. If that driver dies before it closes the intent, nothing records the shipment on the order: the
/// first driver answered 409 (the API: "a request refused before anything is applied is a problem", i.e. nothing
/// changed), the intent and the open-saga entry are gone, so <see cref="RecoverOrders"/> never looks, yet the units
/// left the shelf. <c>ChangeReservation.FinishAsync</c> refuses and <c>OrderHeaders.AbandonIntentAsync</c> deletes the
/// intent on the strength of its own step's decision, which writes nothing in the product partition (<c>Step</c>
/// restores the copy and returns the refusal), so a concurrent step of the same intent is not fenced: the same shape as
/// the reserve saga's known limit. Recording the refused step in the product (<c>chg|{orderId}|{key}</c> as refused,
/// replacing the head) would make the other driver's step find that decision instead of applying.
/// </summary>
public class AChangeAnsweredRefusedShipsNothingTests
{
    private const string OrderId = "O1";

    /// <summary>Driver Y: holds its abandonment of the intent (the delete of <c>intent|…</c>) until the test lets it go.</summary>
    private sealed class HoldAbandon(IDocumentStore inner) : DelegatingStore(inner)
    {
        private readonly TaskCompletionSource atAbandon = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource go = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task AtAbandon => atAbandon.Task.WaitAsync(TimeSpan.FromSeconds(30));
        public void Go() => go.TrySetResult();

        public override async Task CommitAsync(Collection collection, string partition, IReadOnlyList<DocumentWrite> writes, CancellationToken cancellationToken = default)
        {
            if (collection == Collection.Orders && partition == OrderId
                && writes.Any(w => w is DocumentWrite.Delete d && d.Id.StartsWith(OrderHeaders.IntentPrefix, StringComparison.Ordinal)))
            {
                atAbandon.TrySetResult();
                await go.Task.WaitAsync(TimeSpan.FromSeconds(30), CancellationToken.None);
            }
            await base.CommitAsync(collection, partition, writes, cancellationToken);
        }
    }

    /// <summary>Driver X's process: dies right after its first commit in product A lands (every later call fails).</summary>
    private sealed class DiesAfterProductA(IDocumentStore inner) : DelegatingStore(inner)
    {
        private volatile bool dead;

        private void ThrowIfDead()
        {
            if (dead) throw new StoreUnavailableException("test", "Driver X's process is dead (test).");
        }

        public override Task<IReadOnlyList<StoredDocument>> ReadAsync(Collection collection, string partition, IReadOnlyCollection<string> ids,
            IReadOnlyCollection<string> idPrefixes, CancellationToken cancellationToken = default)
        {
            ThrowIfDead();
            return base.ReadAsync(collection, partition, ids, idPrefixes, cancellationToken);
        }

        public override Task<DocumentPage> QueryAsync(Collection collection, string partition, string idPrefix, int pageSize, string? continuationToken,
            CancellationToken cancellationToken = default)
        {
            ThrowIfDead();
            return base.QueryAsync(collection, partition, idPrefix, pageSize, continuationToken, cancellationToken);
        }

        public override async Task CommitAsync(Collection collection, string partition, IReadOnlyList<DocumentWrite> writes, CancellationToken cancellationToken = default)
        {
            ThrowIfDead();
            await base.CommitAsync(collection, partition, writes, cancellationToken);
            if (collection == Collection.Products && partition == "A")
            {
                dead = true;
                throw new StoreUnavailableException("test", "Driver X died after its step in A (test).");
            }
        }
    }

    [Fact]
    public async Task A_fulfilment_answered_refused_leaves_the_stock_as_it_was()
    {
        var memory = new InMemoryDocumentStore();
        var s = await StockScenario.TwoProductsAsync(memory, a: 10, b: 10);
        await s.App.Reserve.ExecuteAsync(new ReserveCommand(OrderId, [new("A", 5), new("B", 3)]));
        // A forced count finds 1 unit of A where 5 are reserved: a fulfilment of 2 is refused (insufficient-stock).
        await s.App.Adjust.ExecuteAsync(new AdjustCommand("A", "L1", null, 1, "damaged", "count-1", Force: true));
        var request = new ReservationChangeCommand(OrderId, [new("A", 2)], Reference: "ship-1");

        // Y records the intent, its step in A is refused, and it is held as it abandons the intent.
        var y = new HoldAbandon(memory);
        var driverY = Task.Run(() => new InventoryApplication(y).Fulfill.ExecuteAsync(request));
        await y.AtAbandon;

        // Meanwhile units arrive, and X (the caller's retry of the same request) finds the pending intent, ships, and dies.
        await s.App.Receive.ExecuteAsync(new ReceiveCommand("A", "L1", 5, "rcv-1"));
        await Assert.ThrowsAnyAsync<Exception>(() => new InventoryApplication(new DiesAfterProductA(memory)).Fulfill.ExecuteAsync(request));

        // Y goes on: today it abandons the intent, delists the order and answers 409 insufficient-stock.
        y.Go();
        var answeredY = await Record.ExceptionAsync(() => driverY);
        await new InventoryApplication(memory) { OrderOptions = new OrderOptions { RecoverAfterSeconds = 0 } }.RecoverOrders.ExecuteAsync();

        var onHand = (await s.App.Stock.GetStockAsync("A")).QuantityOnHand;
        var intent = (await s.App.Orders.FindWithIntentAsync(OrderId, ChangeIntent.KeyOf(ChangeKind.Fulfil, false, "ship-1"), default)).Intent;
        if (answeredY is DomainException refusal)
            // A refusal means nothing was applied: no unit of A left the shelf.
            Assert.True(onHand == 6, $"Y answered {refusal.Code} (nothing applied), yet A's on hand is {onHand}, not 6: 2 units shipped; "
                + $"the order records no fulfilment 'ship-1' (intent: {(intent is null ? "none" : intent.IsDone ? "done" : "pending")})");
        else
        {
            Assert.Null(answeredY);
            Assert.Equal(4, onHand); // answered applied: shipped once, and recorded on the order
            Assert.True(intent is { IsDone: true });
        }
        await s.AssertBooksBalanceAsync("A");
    }
}
