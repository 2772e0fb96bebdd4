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
        foreach (var grant in grants.Where(g => admitted.All(a => a.Reference != g.Reference)))
            await AdmitAsync(bucket, grant, ct);

        var returns = await committer.Partitions.OperationsAsync(bucket.Partition, OperationKind.Return, prefix, ct);
        var reclaimed = await committer.Partitions.OperationsAsync(bucket.ProductId, OperationKind.Return, prefix, ct);
        foreach (var surrendered in returns.Where(r => reclaimed.All(p => p.Reference != r.Reference)))
            await ReclaimAsync(bucket, surrendered, ct);
    }

    /// <summary>Finishes the bucket's moves left half done (a move enlisted and not delisted: its instance died), then delists it.</summary>
    public async Task ResumeAsync(string orderId, CancellationToken ct)
    {
        var partition = orderId[..orderId.IndexOf('|', StringComparison.Ordinal)];
        var at = partition.LastIndexOf(EscrowBucket.Separator);
        await RecoverAsync(new EscrowBucket(partition[..at], int.Parse(partition.AsSpan(at + 1), System.Globalization.CultureInfo.InvariantCulture)), ct);
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
