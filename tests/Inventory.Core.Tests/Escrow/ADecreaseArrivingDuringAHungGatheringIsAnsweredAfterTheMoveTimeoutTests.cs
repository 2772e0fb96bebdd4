using Inventory.Application.Escrow;
using Inventory.Application.Orders;
using Inventory.Application.Stock;
using Inventory.Storage;
using Inventory.Testing;

namespace Inventory.Core.Tests.Escrow;

/// <summary>
/// Found in review of c652539: a count or a decrease of a product in escrow asks for a fresh gathering
/// (<c>EscrowBuckets.GatherAsync(..., fresh: true)</c>), which first waits for the gathering of the same buckets already
/// in flight to end: <c>await earlier.Task.ContinueWith(..., ct)</c>, with no <see cref="EscrowOptions.MoveTimeout"/>.
/// A shared move whose store call hangs is given up after the move timeout (<see cref="EscrowStuckMoveTests"/>: its
/// callers are answered "store unavailable", the next caller starts its own), but the fresh caller holds the hung
/// task itself and waits on it for as long as the store call hangs: the adjustment never answers.
/// </summary>
public class ADecreaseArrivingDuringAHungGatheringIsAnsweredAfterTheMoveTimeoutTests
{
    [Fact]
    public async Task A_decrease_waiting_for_a_hung_gathering_is_answered_once_the_move_timeout_has_passed()
    {
        var world = await EscrowWorld.CreateAsync(atL1: 100);
        await world.Instance(2).Reserve.ExecuteAsync(new ReserveCommand("O2", [new(EscrowWorld.Product, 1)])); // bucket 2: units free

        // Instance G: an order's (non-fresh) gathering of bucket 2, whose first write in the bucket hangs.
        var hang = new HangsOnce(world.Store, EscrowWorld.Bucket(2).Partition);
        var g = new InventoryApplication(hang)
        {
            EscrowOptions = new EscrowOptions
            {
                Products = new HashSet<string>(StringComparer.Ordinal) { EscrowWorld.Product }, Buckets = 4, Bucket = 3,
                MoveTimeout = TimeSpan.FromSeconds(2), // long enough for the decrease to find the gathering in flight,
            },
        };
        var gathering = g.Escrow.GatherAsync(EscrowWorld.Product, [2], CancellationToken.None);
        await hang.Hanging;

        // A decrease on G: it asks for a fresh gathering while the hung one is still in flight.
        var decrease = g.Adjust.ExecuteAsync(new AdjustCommand(EscrowWorld.Product, "L1", -10, null, "damaged", "adj-1"));
        await Assert.ThrowsAsync<StoreUnavailableException>(() => gathering.WaitAsync(TimeSpan.FromSeconds(30))); // the shared move gave up

        // Well past the move timeout the decrease must have an answer: applied (a gathering of its own) or store unavailable.
        var answered = await Task.WhenAny(decrease, Task.Delay(TimeSpan.FromSeconds(20))) == decrease;
        hang.Release(); // let the hung call land so nothing is left waiting
        Assert.True(answered,
            "a decrease arriving while a gathering's store call hangs was still unanswered 20 s after that gathering's 2 s move timeout (it waits on the hung task itself)");
        if (decrease.IsFaulted) Assert.IsType<StoreUnavailableException>(decrease.Exception!.InnerException);
    }

    /// <summary>The first commit to <paramref name="partition"/> hangs (ignoring its token) until released.</summary>
    private sealed class HangsOnce(IDocumentStore inner, string partition) : DelegatingStore(inner)
    {
        private readonly TaskCompletionSource hanging = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int hung;
        public Task Hanging => hanging.Task;
        public void Release() => release.TrySetResult();

        public override async Task CommitAsync(Collection collection, string p, IReadOnlyList<DocumentWrite> writes, CancellationToken ct = default)
        {
            if (p == partition && Interlocked.Exchange(ref hung, 1) == 0)
            {
                hanging.TrySetResult();
                await release.Task;
            }
            await base.CommitAsync(collection, p, writes, ct);
        }
    }
}
