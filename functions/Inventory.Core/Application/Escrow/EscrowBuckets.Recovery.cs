using Inventory.Domain;

namespace Inventory.Application.Escrow;

/// <summary>How a move left half done is finished: by the bucket's next grant on this instance, or by the recovery sweep.</summary>
public sealed partial class EscrowBuckets
{
    /// <summary>
    /// Finishes every move of <paramref name="bucket"/> whose second half is missing: grants the product recorded that the
    /// bucket has not admitted, returns the bucket recorded that the product has not reclaimed. Idempotent.
    /// </summary>
    public async Task RecoverAsync(EscrowBucket bucket, CancellationToken ct)
    {
        var prefix = $"{bucket.Index}.";
        var grants = await committer.Partitions.OperationsAsync(bucket.ProductId, OperationKind.Grant, prefix, ct);
        var admitted = await committer.Partitions.OperationsAsync(bucket.Partition, OperationKind.Grant, prefix, ct);
        foreach (var grant in grants.Where(g => Moved(g) && admitted.All(a => a.Reference != g.Reference)))
            await AdmitAsync(bucket, grant, ct);

        var returns = await committer.Partitions.OperationsAsync(bucket.Partition, OperationKind.Return, prefix, ct);
        var reclaimed = await committer.Partitions.OperationsAsync(bucket.ProductId, OperationKind.Return, prefix, ct);
        foreach (var surrendered in returns.Where(r => Moved(r) && reclaimed.All(p => p.Reference != r.Reference)))
            await ReclaimAsync(bucket, surrendered, ct);
    }

    /// <summary>A first half that moved units (not a fence, <see cref="ProductStock.Abandon"/>).</summary>
    private static bool Moved(OperationRecord first) => first.Abandoned != true && first.Lots is { Count: > 0 };

    /// <summary>
    /// Fences a move found open past its time: where its first half would be (a grant's in the product, a return's in the
    /// bucket; which one it was is not recorded, so both), a record that it was abandoned, unless that half landed. A
    /// stalled instance's first half landing after the sweep then replays the fence instead of moving units, which,
    /// with the move delisted, no recovery would have finished. Two small commits, on this rare path only.
    /// </summary>
    private async Task FenceAsync(EscrowBucket bucket, string moveId, CancellationToken ct)
    {
        await committer.RunAsync(bucket.ProductId, StockRead.ForOperation(OperationKind.Grant, moveId),
            s => s.Abandon(OperationKind.Grant, moveId, clock.GetUtcNow()), ct);
        if (await committer.Partitions.ExistsAsync(bucket.Partition, ct)) // a return is enlisted only once its bucket exists
            await committer.RunAsync(bucket.Partition, StockRead.ForOperation(OperationKind.Return, moveId),
                s => s.Abandon(OperationKind.Return, moveId, clock.GetUtcNow()), ct);
    }

    /// <summary>
    /// Fences the move (enlisted and not delisted: its instance died, or stalls), finishes the bucket's moves left half
    /// done, then delists it.
    /// </summary>
    public async Task ResumeAsync(string orderId, CancellationToken ct)
    {
        var split = orderId.IndexOf('|', StringComparison.Ordinal);
        var partition = orderId[..split];
        var at = partition.LastIndexOf(EscrowBucket.Separator);
        var bucket = new EscrowBucket(partition[..at], int.Parse(partition.AsSpan(at + 1), System.Globalization.CultureInfo.InvariantCulture));
        await FenceAsync(bucket, orderId[(split + 1)..], ct);
        await RecoverAsync(bucket, ct);
        await headers.DelistAsync(SagaKind, orderId, ct);
    }

    /// <summary>A move's entry in the open-saga index: <c>{bucket partition}|{move id}</c> ('|' is in no id).</summary>
    private static string SagaId(EscrowBucket bucket, string moveId) => $"{bucket.Partition}|{moveId}";

    /// <summary>A move's second half: one that fails is remembered, so the bucket's next grant recovers it first (a crash: the sweep does).</summary>
    private async Task SecondHalfAsync(EscrowBucket bucket, Func<Task> half)
    {
        try { await half(); }
        catch
        {
            Interlocked.Increment(ref unfinishedMoves);
            unfinished.TryAdd(bucket.Partition, 0);
            throw;
        }
    }
}
