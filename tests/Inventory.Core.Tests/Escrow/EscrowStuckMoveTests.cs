using Inventory.Application;
using Inventory.Application.Escrow;
using Inventory.Storage;
using Inventory.Testing;

namespace Inventory.Core.Tests.Escrow;

/// <summary>
/// A move shared by an instance's requests (a grant, a gathering, a bucket's making) whose store call never answers: from
/// the last session's review, it held its key, so every later request of the instance needing that move joined it and
/// waited until its client gave up, for as long as the call hung. Now a move not ended after
/// <see cref="EscrowOptions.MoveTimeout"/> stops being shared: those waiting are answered "store unavailable" (retry),
/// and the next request starts a move of its own.
/// </summary>
public class EscrowStuckMoveTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMilliseconds(200);

    [Fact]
    public async Task A_bucket_making_whose_store_call_hangs_stops_holding_the_instance_after_the_move_timeout()
    {
        var world = await EscrowWorld.CreateAsync(atL1: 100);
        var hang = new HangsOnce(world.Store, "P~1");
        var app = Instance(hang);

        var stuck = app.Escrow.CreateAsync(EscrowWorld.Bucket(1), CancellationToken.None);
        await hang.Hanging;
        var joined = app.Escrow.CreateAsync(EscrowWorld.Bucket(1), CancellationToken.None); // joins the stuck move

        var unavailable = await Assert.ThrowsAsync<StoreUnavailableException>(() => stuck.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("escrow", unavailable.Message, StringComparison.OrdinalIgnoreCase);
        await Assert.ThrowsAsync<StoreUnavailableException>(() => joined.WaitAsync(TimeSpan.FromSeconds(30)));

        // The store answers again: the next request makes the bucket itself instead of waiting on the stuck call.
        await app.Escrow.CreateAsync(EscrowWorld.Bucket(1), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.NotNull(await new ProductPartitions(world.Memory).ProductAsync("P~1", CancellationToken.None));

        hang.Release(); // the stuck call lands late (a create of what exists): harmless, and it no longer owns the key
        await Task.Delay(50);
        await app.Escrow.CreateAsync(EscrowWorld.Bucket(1), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task A_move_that_ends_within_the_timeout_is_shared_as_before()
    {
        var world = await EscrowWorld.CreateAsync(atL1: 100);
        var app = Instance(world.Store, TimeSpan.FromSeconds(30)); // well within: a loaded machine must not make it time out
        await app.Escrow.CreateAsync(EscrowWorld.Bucket(1), CancellationToken.None);
        world.Gate.Close(); // the grant's first write waits until all eight have asked

        var asking = Enumerable.Range(0, 8).Select(_ => app.Escrow.GrantAsync(EscrowWorld.Bucket(1), 1, null, CancellationToken.None)).ToArray();
        await world.Gate.Blocked;
        world.Gate.Open();
        await Task.WhenAll(asking);

        Assert.Equal(1, app.Escrow.Moves.Grants);
    }

    private static InventoryApplication Instance(IDocumentStore store, TimeSpan? moveTimeout = null) =>
        new(store)
        {
            EscrowOptions = new EscrowOptions
            {
                Products = new HashSet<string>(StringComparer.Ordinal) { EscrowWorld.Product }, Buckets = 4, Bucket = 1, MoveTimeout = moveTimeout ?? Timeout,
            },
        };

    /// <summary>The first commit to <paramref name="partition"/> hangs (ignoring its token, as a call with no timeout of its own) until released.</summary>
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
