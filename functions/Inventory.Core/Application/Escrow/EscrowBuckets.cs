using System.Collections.Concurrent;
using Inventory.Application.Orders;
using Inventory.Domain;

namespace Inventory.Application.Escrow;

/// <summary>
/// A partition lacks <see cref="Missing"/> units for the request deciding in it: move some in, then decide again (nothing
/// was written). <see cref="Buckets"/>: the product's buckets, as its partition was read.
/// </summary>
internal sealed class EscrowShortfallException(long missing, IReadOnlyList<int> buckets) : Exception($"The escrow bucket lacks {missing} units.")
{
    public long Missing { get; } = missing;
    public IReadOnlyList<int> Buckets { get; } = buckets;
}

/// <summary>Another instance's grant for the same bucket landed in the product while this one waited to commit: nothing was written.</summary>
internal sealed class GrantedMeanwhileException() : Exception("Another grant for the bucket landed first.");

/// <summary>
/// Moves units between a hot product and its escrow buckets. Each move touches two partitions, so each is a saga whose
/// first half is the durable intent: a grant commits in the product first (its hold grows, the lots recorded under
/// <c>op|grant|</c>), then in the bucket (the same lots admitted, idempotent by the grant's id); a return commits in the
/// bucket first (free units out, recorded under <c>op|return|</c>), then in the product (the hold lets them go).
/// Each move is enlisted in the open-saga index before its first half and delisted after its second, so the recovery
/// sweep (<see cref="RecoverOrders"/>) finishes a move a crash left half done (<see cref="RecoverAsync"/>).
/// Between the halves the units are in neither's available: a read shows a moment too few, never too many. Which
/// products are in escrow, and in which bucket this instance reserves them: <c>EscrowBuckets.Choice.cs</c>.
/// </summary>
public sealed partial class EscrowBuckets(StockCommitter committer, EscrowOptions options, AllocationOptions allocation, TimeProvider clock,
    OrderHeaders headers) : IOrderSaga
{
    public const string SagaKind = "escrow";

    /// <summary>Brings a bucket balance a grant created to its location's type if a retype raced the grant (null: not checked).</summary>
    public Catalog.BalanceTypeCopies? Types { get; init; }
    public string Kind => SagaKind;

    private const string By = "escrow";
    /// <summary>Buckets known to exist (their partition made).</summary>
    private readonly ConcurrentDictionary<string, byte> created = new(StringComparer.Ordinal);
    /// <summary>Buckets whose last move this instance could not finish (its second half failed): recovered before their next grant.</summary>
    private readonly ConcurrentDictionary<string, byte> unfinished = new(StringComparer.Ordinal);
    /// <summary>Grants and gatherings in flight, by key, joined by the requests that need the same one.</summary>
    private readonly ConcurrentDictionary<string, SharedMove> inFlight = new(StringComparer.Ordinal);
    private long grants, returns, unfinishedMoves;

    /// <summary>Grants and returns made by this instance, and second halves it could not finish (for benchmarks and tests).</summary>
    public (long Grants, long Returns, long Unfinished) Moves => (Interlocked.Read(ref grants), Interlocked.Read(ref returns), Interlocked.Read(ref unfinishedMoves));

    /// <summary>
    /// Grants <paramref name="bucket"/> at least <paramref name="minimum"/> units of its product (in
    /// <paramref name="warehouseId"/>, or anywhere), more when the product has plenty; returns how many (0: none available).
    /// </summary>
    /// <remarks>
    /// Requests of one instance short in the same bucket at once share one grant (the one in flight): otherwise a burst
    /// of them would each take a share of the product, and the product's partition would take the burst instead of the bucket.
    /// One still short after that asks for its own (its minimum at least), so that it makes progress. Across instances
    /// the shared grant gives way: one that loses its race in the product to another instance's grant for the same bucket
    /// waits for those units to reach the bucket (<see cref="ArrivedAsync"/>) instead of taking more, so the start of a
    /// sale queues one grant per bucket on the product's partition, not one per instance. Only a bucket's first grant ever
    /// gives way (later, a burst given another's units would find them taken and ask for a grant each), and it takes a
    /// whole equal share (<see cref="EscrowOptions.GrantShare"/>).
    /// </remarks>
    /// <paramref name="join"/> false: a grant of its own (a request still short after the one it joined was taken by others).
    public Task<long> GrantAsync(EscrowBucket bucket, long minimum, string? warehouseId, CancellationToken ct, bool join = true) =>
        join ? Once($"grant|{bucket.Partition}|{warehouseId}", () => GrantNowAsync(bucket, minimum, warehouseId, giveWay: true, CancellationToken.None), ct)
            : GrantNowAsync(bucket, minimum, warehouseId, giveWay: false, ct);

    /// <summary>
    /// The given buckets of <paramref name="productId"/> give their free units back (what an order short of units does
    /// before it is refused); requests of one instance doing so at once share one round. Returns how many came back.
    /// </summary>
    /// <remarks>
    /// <paramref name="fresh"/>: only a round started after this call will do (a count or a decrease, decided on what the
    /// buckets held when it came). A round already in flight may have passed a bucket before a grant reached it, so the
    /// units granted stayed there and the bucket sold units a forced count had found missing.
    /// </remarks>
    public async Task<long> GatherAsync(string productId, IEnumerable<int> buckets, CancellationToken ct, bool fresh = false)
    {
        var which = buckets.Order().ToArray();
        var key = $"gather|{productId}|{string.Join(",", which)}";
        if (fresh && inFlight.TryGetValue(key, out var earlier))
        {
            // Its outcome is not this call's: wait for it to end, no longer than its move timeout (then Once answers as for a stuck move).
            var left = TimeSpan.FromMilliseconds(Math.Max(0, earlier.Started + (long)options.MoveTimeout.TotalMilliseconds - Environment.TickCount64));
            await Task.WhenAny(earlier.Task, Task.Delay(left, ct));
            ct.ThrowIfCancellationRequested();
        }
        return await Once(key, async () =>
        {
            long returned = 0;
            foreach (var index in which) returned += await ReturnAsync(new EscrowBucket(productId, index), null, CancellationToken.None);
            return returned;
        }, ct);
    }

    /// <summary>
    /// Joins the move of that key in flight, or starts it. A move is shared by every caller that joins it, so it is no
    /// one caller's to cancel (it runs without a token: a caller that leaves stops waiting, and the others still get it).
    /// A move not ended after <see cref="EscrowOptions.MoveTimeout"/> (a store call that hangs) gives up its key: its
    /// callers are answered "store unavailable", and the next caller starts another (it may still land: moves are sagas).
    /// </summary>
    private async Task<long> Once(string key, Func<Task<long>> move, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested(); // gone already: start nothing no one would wait for
        while (true)
        {
            if (!inFlight.TryGetValue(key, out var running))
            {
                var started = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
                running = new SharedMove(started.Task, Environment.TickCount64);
                if (!inFlight.TryAdd(key, running)) continue;
                _ = RunAsync(started, running);
                // Observed even when every caller left before it ended (its own recovery covers what it left undone).
                _ = started.Task.ContinueWith(t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            }
            var left = TimeSpan.FromMilliseconds(Math.Max(0, running.Started + (long)options.MoveTimeout.TotalMilliseconds - Environment.TickCount64));
            try { return await running.Task.WaitAsync(left, ct); }
            catch (TimeoutException) when (!running.Task.IsCompleted)
            {
                inFlight.TryRemove(KeyValuePair.Create(key, running)); // a later one keeps its key
                throw new Inventory.Storage.StoreUnavailableException(committer.Partitions.Limits.StoreName, $"Shared escrow move '{key}' has not ended after {options.MoveTimeout.TotalSeconds:0.#} s.");
            }
        }

        async Task RunAsync(TaskCompletionSource<long> started, SharedMove running)
        {
            try { started.SetResult(await move()); }
            catch (Exception e) { started.SetException(e); }
            finally { inFlight.TryRemove(KeyValuePair.Create(key, running)); }
        }
    }

    /// <summary>A move in flight and when it started (<see cref="Environment.TickCount64"/>: real time, whatever the application's clock).</summary>
    private sealed record SharedMove(Task<long> Task, long Started);

    /// <summary>Attempts of one move fenced by recovery (its instance seen as stalled) before it gives up: a sweep whose clock runs ahead would fence every one.</summary>
    public const int MaxFencedAttempts = 3;

    private async Task<long> GrantNowAsync(EscrowBucket bucket, long minimum, string? warehouseId, bool giveWay, CancellationToken ct, int fenced = 0)
    {
        if (unfinished.TryRemove(bucket.Partition, out _)) await RecoverAsync(bucket, ct);
        var grantId = $"{bucket.Index}.{Guid.NewGuid():N}";
        var key = ProductStock.OperationKey(OperationKind.Grant, grantId);
        var buckets = Math.Clamp(options.Buckets, 1, EscrowOptions.MaxBuckets);
        var read = new StockRead([bucket.Holder], [key]);
        await headers.EnlistAsync(SagaKind, SagaId(bucket, grantId), clock.GetUtcNow(), ct);
        bool? grantedAtFirstRead = null; // whether the product had ever granted the bucket (its head lists every such bucket)
        OperationRecord grant;
        try
        {
            grant = await committer.RunAsync(bucket.ProductId, read, s =>
            {
                var granted = s.EscrowBuckets.Contains(bucket.Index);
                // Gives way to another instance's first grant only if it brought units where this request needs them.
                if (giveWay && s.Operation(key) is null && (grantedAtFirstRead ??= granted) != granted
                    && s.Reservation(bucket.Holder)?.Allocations.Any(a => a.Remaining > 0 && (warehouseId is null || a.WarehouseId == warehouseId)) == true)
                    throw new GrantedMeanwhileException();
                var desired = (long)(s.AvailableIn(warehouseId) * (granted ? options.GrantShare : 1) / buckets);
                return s.Grant(new EscrowGrantRequest(grantId, bucket, minimum, desired, warehouseId, By), allocation, clock.GetUtcNow());
            }, ct);
        }
        catch (GrantedMeanwhileException)
        {
            await headers.DelistAsync(SagaKind, SagaId(bucket, grantId), ct);
            var arrived = await ArrivedAsync(bucket, warehouseId, ct);
            return arrived > 0 ? arrived : await GrantNowAsync(bucket, minimum, warehouseId, giveWay: false, ct, fenced);
        }
        if (grant.Lots is { Count: > 0 }) await SecondHalfAsync(bucket, () => AdmitAsync(bucket, grant, ct));
        await headers.DelistAsync(SagaKind, SagaId(bucket, grantId), ct);
        if (grant.Abandoned == true) return await GrantNowAsync(bucket, minimum, warehouseId, giveWay, ct, Fenced(bucket, fenced)); // fenced: anew
        if (grant.Lots is not { Count: > 0 } lots) return 0;
        Interlocked.Increment(ref grants);
        return lots.Sum(l => l.Quantity);
    }

    /// <summary>
    /// The bucket's free units (in <paramref name="warehouseId"/>, or anywhere) once another instance's grant brought some,
    /// looked at a few times over about 0.6 s (its second half is one commit away); 0 when none came: that instance may
    /// have died between its halves (recovery will finish its grant), and the caller makes its own.
    /// </summary>
    private async Task<long> ArrivedAsync(EscrowBucket bucket, string? warehouseId, CancellationToken ct)
    {
        for (var wait = 0; ; wait = wait == 0 ? 5 : wait * 2)
        {
            if (wait > 0) await Task.Delay(wait, ct);
            var stock = await committer.Partitions.StockAsync(bucket.Partition, ct, withBuckets: false);
            var free = stock?.Balances.Where(b => warehouseId is null || b.WarehouseId == warehouseId).Sum(b => b.QuantityAvailable) ?? 0;
            if (free > 0 || wait >= 320) return Math.Max(0, free);
        }
    }

    /// <summary>Returns up to <paramref name="quantity"/> (null: all) of the bucket's free units to its product; how many.</summary>
    public Task<long> ReturnAsync(EscrowBucket bucket, long? quantity, CancellationToken ct) => ReturnAsync(bucket, quantity, 0, ct);

    private async Task<long> ReturnAsync(EscrowBucket bucket, long? quantity, int fenced, CancellationToken ct)
    {
        if (!await committer.Partitions.ExistsAsync(bucket.Partition, ct)) return 0;
        var returnId = $"{bucket.Index}.{Guid.NewGuid():N}";
        await headers.EnlistAsync(SagaKind, SagaId(bucket, returnId), clock.GetUtcNow(), ct);
        var surrendered = await committer.RunAsync(bucket.Partition, StockRead.ForOperation(OperationKind.Return, returnId),
            s => s.Surrender(returnId, quantity, By, clock.GetUtcNow()), ct);
        if (surrendered.Lots is { Count: > 0 }) await SecondHalfAsync(bucket, () => ReclaimAsync(bucket, surrendered, ct));
        await headers.DelistAsync(SagaKind, SagaId(bucket, returnId), ct);
        if (surrendered.Abandoned == true) return await ReturnAsync(bucket, quantity, Fenced(bucket, fenced), ct); // fenced: anew
        if (surrendered.Lots is not { Count: > 0 } lots) return 0;
        Interlocked.Increment(ref returns);
        return lots.Sum(l => l.Quantity);
    }

    /// <summary>One more fenced attempt of a move, or <see cref="ConcurrencyExhaustedException"/> past <see cref="MaxFencedAttempts"/>.</summary>
    private static int Fenced(EscrowBucket bucket, int fenced) =>
        fenced + 1 < MaxFencedAttempts ? fenced + 1 : throw new ConcurrencyExhaustedException(bucket.Partition, fenced + 1);

    /// <remarks>
    /// A lot carries its location's type as the product's balance had it when the grant was decided; a bucket balance it
    /// creates takes it, so one a retype's pass missed (it listed the partitions before) is brought to the type read
    /// after the admission (<see cref="Types"/>). A balance the bucket had keeps its own, which a retype's pass reaches.
    /// </remarks>
    private async Task AdmitAsync(EscrowBucket bucket, OperationRecord grant, CancellationToken ct)
    {
        await CreateAsync(bucket, ct);
        string[] followed = [];
        var admitted = await committer.RunAsync(bucket.Partition, StockRead.ForOperation(OperationKind.Grant, grant.Reference), s =>
        {
            // A replay (recovery, or a retry after the type check failed) checks every location: it cannot tell which it created.
            var replay = s.Operation(ProductStock.OperationKey(OperationKind.Grant, grant.Reference)) is not null;
            followed = [.. grant.Lots!.Where(l => replay || s.Balance(l.LocationId) is null).Select(l => l.LocationId)];
            return s.Admit(grant.Reference, grant.Lots!, By, clock.GetUtcNow());
        }, ct);
        if (Types is not null && followed.Length > 0)
            await Types.FollowAsync(bucket.Partition, admitted.BalancesAfter.Where(b => followed.Contains(b.LocationId)), ct);
    }

    private async Task ReclaimAsync(EscrowBucket bucket, OperationRecord surrendered, CancellationToken ct) =>
        await committer.RunAsync(bucket.ProductId, new StockRead([bucket.Holder], [ProductStock.OperationKey(OperationKind.Return, surrendered.Reference)]),
            s => s.Reclaim(surrendered.Reference, bucket, surrendered.Lots!, By, clock.GetUtcNow()), ct);

    /// <summary>
    /// Makes the bucket's partition if it is not there yet (the first grant does, or the first order reserved in it):
    /// its copy of the product's document and its head. Looked for once per instance, by one request at a time (at a
    /// sale's start every request finds its bucket unmade at once: the product's partition took their reads as 429s).
    /// Marked in the product first, so a save of the product from then on copies into it; one that landed after this
    /// read the product is copied here.
    /// </summary>
    public Task CreateAsync(EscrowBucket bucket, CancellationToken ct) =>
        created.ContainsKey(bucket.Partition) ? Task.CompletedTask : Once($"create|{bucket.Partition}", async () =>
        {
            await MakeAsync(bucket, CancellationToken.None);
            return 0;
        }, ct);

    private async Task MakeAsync(EscrowBucket bucket, CancellationToken ct)
    {
        if (created.ContainsKey(bucket.Partition)) return;
        var partitions = committer.Partitions;
        if (!await partitions.ExistsAsync(bucket.Partition, ct))
        {
            await partitions.MarkBucketAsync(bucket.ProductId, bucket.Index, ct);
            var from = await partitions.StoredProductAsync(bucket.ProductId, ct);
            if (from.Product is null) throw new ProductNotFoundException(bucket.ProductId);
            try { await partitions.CreateCopyAsync(bucket, from, ct); }
            catch (Storage.CommitConflictException e) when (e.Kind == Storage.ConflictKind.AlreadyExists) { } // another instance made it
            if ((await partitions.StoredProductAsync(bucket.ProductId, ct)).ETag != from.ETag) await partitions.CopyToBucketsAsync(bucket.ProductId, ct);
        }
        created.TryAdd(bucket.Partition, 0);
    }
}
