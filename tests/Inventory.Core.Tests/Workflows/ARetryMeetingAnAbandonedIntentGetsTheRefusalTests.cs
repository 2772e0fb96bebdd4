using Inventory.Application.Orders;
using Inventory.Domain;
using Inventory.Storage;
using Inventory.Testing;

namespace Inventory.Core.Tests.Workflows;

/// <summary>
/// Found in review 7: a change's intent is created must-not-exist; when it finds one under its key ("the same reference
/// raced in: the one recorded decides") it reads that intent back and uses it unchecked
/// (<c>(await headers.FindWithIntentAsync(...)).Intent!</c>). A change of one product whose step is refused removes its
/// intent (<see cref="OrderHeaders.AbandonIntentAsync"/>). So a retry of such a request, racing its original (a client
/// retrying after a lost answer), whose create meets the original's intent and whose read comes after the original
/// abandoned it, reads no intent and fails with a NullReferenceException (500) instead of the request's refusal.
/// </summary>
public class ARetryMeetingAnAbandonedIntentGetsTheRefusalTests
{
    private const string OrderId = "O-1";
    private static readonly AsyncLocal<string?> Who = new();

    private sealed class Steered(IDocumentStore inner) : DelegatingStore(inner)
    {
        private readonly TaskCompletionSource secondAtIntent = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource firstRecorded = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource secondAtReread = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource firstAbandoned = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private volatile bool secondTriedIntent;
        private volatile bool firstAtStep;
        private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

        public Task SecondAtIntent => secondAtIntent.Task.WaitAsync(Wait);

        private static bool CreatesIntent(IReadOnlyList<DocumentWrite> writes) =>
            writes.Any(w => w is DocumentWrite.Create c && c.Id.StartsWith(OrderHeaders.IntentPrefix, StringComparison.Ordinal));

        public override async Task CommitAsync(Collection collection, string partition, IReadOnlyList<DocumentWrite> writes, CancellationToken cancellationToken = default)
        {
            var orderPartition = collection == Collection.Orders && partition == OrderId;
            if (Who.Value == "second" && orderPartition && CreatesIntent(writes) && !secondTriedIntent)
            {
                secondTriedIntent = true;
                secondAtIntent.TrySetResult();
                await firstRecorded.Task.WaitAsync(Wait, CancellationToken.None); // the original's intent is there now
            }
            await base.CommitAsync(collection, partition, writes, cancellationToken);
            if (Who.Value == "first" && orderPartition && writes.All(w => w is DocumentWrite.Delete))
                firstAbandoned.TrySetResult();
        }

        public override async Task<IReadOnlyList<StoredDocument>> ReadAsync(Collection collection, string partition, IReadOnlyCollection<string> ids,
            IReadOnlyCollection<string> idPrefixes, CancellationToken cancellationToken = default)
        {
            if (Who.Value == "first" && collection == Collection.Products && partition == "A" && !firstAtStep)
            {
                firstAtStep = true; // the original recorded its intent and is about to run its step
                firstRecorded.TrySetResult();
                await secondAtReread.Task.WaitAsync(Wait, CancellationToken.None);
            }
            if (Who.Value == "second" && secondTriedIntent && collection == Collection.Orders && partition == OrderId
                && ids.Any(i => i.StartsWith(OrderHeaders.IntentPrefix, StringComparison.Ordinal)))
            {
                secondAtReread.TrySetResult(); // the retry lost its create and reads the intent back...
                await firstAbandoned.Task.WaitAsync(Wait, CancellationToken.None); // ...after the original removed it
            }
            return await base.ReadAsync(collection, partition, ids, idPrefixes, cancellationToken);
        }
    }

    [Fact]
    public async Task A_retry_whose_intent_lost_to_the_originals_abandoned_one_answers_the_refusal_not_a_null_reference()
    {
        var memory = new InMemoryDocumentStore();
        var store = new Steered(memory);
        var s = await StockScenario.TwoProductsAsync(store);
        await s.App.Reserve.ExecuteAsync(new ReserveCommand(OrderId, [new("A", 2), new("B", 3)]));
        var tooMuch = new ReservationChangeCommand(OrderId, [new("A", 5)], Reference: "R-1"); // A holds 2: refused

        var second = Task.Run(() => { Who.Value = "second"; return new InventoryApplication(store).Release.ExecuteAsync(tooMuch); });
        await store.SecondAtIntent;
        var first = Task.Run(() => { Who.Value = "first"; return new InventoryApplication(store).Release.ExecuteAsync(tooMuch); });

        await Assert.ThrowsAsync<ValidationException>(() => first);
        var answer = await Record.ExceptionAsync(() => second);
        Assert.IsType<ValidationException>(answer); // today: NullReferenceException
        Assert.Equal(2, (await s.App.Stock.GetStockAsync("A")).QuantityReserved);
        await s.AssertBooksBalanceAsync("A");
    }
}
