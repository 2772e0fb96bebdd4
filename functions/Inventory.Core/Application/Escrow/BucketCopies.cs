using Inventory.Application.Catalog;
using Inventory.Application.Orders;
using Inventory.Domain;
using Inventory.Storage;

namespace Inventory.Application.Escrow;

/// <summary>
/// A save of a product in escrow writes the product, then copies it into each bucket (other partitions): the copies are
/// a saga, one per save, enlisted in the open-saga index (kind <c>copy</c>, <c>{productId}|{save}</c>) before the product
/// is written and again before the copies (a sweep may have ended it while the save stalled; a bucket may have been
/// made since the save's read), and delisted once every bucket holds the product. A bucket marked and not made yet is
/// made here, from the product as it is now, so no copy waits on its maker. When a crash or a failed copy leaves them
/// undone and no one saves again, the recovery sweep makes them: otherwise a bucket would go on deciding its orders on
/// the product as it was (still selling a product deactivated).
/// </summary>
public sealed class BucketCopies(ProductPartitions partitions, EscrowBuckets escrow, OrderHeaders headers, TimeProvider clock)
    : IBucketCopies, IOrderSaga
{
    public const string SagaKind = "copy";
    public string Kind => SagaKind;

    private static string EntryId(string productId, string save) => $"{productId}|{save}";

    public Task BeginAsync(string productId, string save, CancellationToken ct) =>
        headers.EnlistAsync(SagaKind, EntryId(productId, save), clock.GetUtcNow(), ct);

    /// <summary>
    /// After the product is written: enlists the save again if the product has buckets, copies, makes the buckets marked
    /// and not made, and delists. An enlisting that fails does not stop the copies (an entry the sweep ended while the
    /// save stalled would otherwise be the only record); it is thrown only if they fail too.
    /// </summary>
    public async Task CopyAsync(string productId, string save, bool enlisted, CancellationToken ct)
    {
        StoreFailureException? unrecorded = null;
        var copy = await partitions.CopyToBucketsAsync(productId, ct, async () =>
        {
            try
            {
                await BeginAsync(productId, save, ct); // again: a sweep may have ended it, or a bucket came since the read
                enlisted = true;
            }
            catch (StoreFailureException e) { unrecorded = e; }
        });
        try
        {
            if (await MakeAsync(productId, copy.Unmade, ct)) await partitions.CopyToBucketsAsync(productId, ct);
        }
        catch (StoreFailureException) when (unrecorded is not null) { throw unrecorded; }
        if (enlisted) await headers.DelistAsync(SagaKind, EntryId(productId, save), ct);
    }

    /// <summary>
    /// Writes every bucket's copy as the product (again where it already is: a copy write that read it before, by a
    /// save or a sweep stalled until now, then fails instead of landing a stale product), then ends the save's entry if
    /// it is still the version read before copying: a save that stalled and enlisted again meanwhile may write the
    /// product after this copy. Before that, the product is written again unchanged under the ETag it was copied from:
    /// a save that enlisted this entry and stalled before its product write would otherwise write after the copies and
    /// could die before it enlists again, leaving nothing to lead a sweep to its copies; now its write fails and its
    /// retry enlists again first. If the product changed since the copies, the entry stays (its save delists it, or the
    /// next sweep copies). An entry by product id alone (the first version of this saga) is read as such.
    /// </summary>
    public async Task ResumeAsync(string orderId, CancellationToken ct)
    {
        if (await headers.EnlistedAsync(SagaKind, orderId, ct) is not { } etag) return;
        var at = orderId.IndexOf('|', StringComparison.Ordinal);
        var productId = at < 0 ? orderId : orderId[..at];
        var copy = await partitions.CopyToBucketsAsync(productId, ct, rewrite: true);
        if (await MakeAsync(productId, copy.Unmade, ct)) copy = await partitions.CopyToBucketsAsync(productId, ct, rewrite: true);
        if (copy.ProductETag is { } copied && !await partitions.TouchProductAsync(productId, copied, ct)) return;
        await headers.DelistAsync(SagaKind, orderId, etag, ct);
    }

    /// <summary>
    /// Makes the buckets marked and not made, from the product as it is (their maker, stalled or dead, may have read it
    /// before the save). True when there were some: the caller copies again, since a bucket found made meanwhile may be
    /// its maker's, made from the product before the save and never copied again (the maker died after making it).
    /// </summary>
    private async Task<bool> MakeAsync(string productId, IReadOnlyList<int> unmade, CancellationToken ct)
    {
        foreach (var index in unmade) await escrow.CreateAsync(new EscrowBucket(productId, index), ct);
        return unmade.Count > 0;
    }
}
