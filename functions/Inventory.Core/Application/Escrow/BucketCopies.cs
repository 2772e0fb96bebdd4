using Inventory.Application.Catalog;
using Inventory.Application.Orders;

namespace Inventory.Application.Escrow;

/// <summary>
/// A save of a product in escrow writes the product, then copies it into each bucket (other partitions): the copies are
/// a saga, one per save, enlisted in the open-saga index (kind <c>copy</c>, <c>{productId}|{save}</c>) before the product
/// is written and again before the copies (a sweep may have ended it while the save stalled; a bucket may have been
/// made since the save's read), and delisted once every bucket holds the product. When a crash or a failed copy leaves
/// them undone and no one saves again, the recovery sweep makes them: otherwise a bucket would go on deciding its orders
/// on the product as it was (still selling a product deactivated).
/// </summary>
public sealed class BucketCopies(ProductPartitions partitions, OrderHeaders headers, TimeProvider clock) : IBucketCopies, IOrderSaga
{
    public const string SagaKind = "copy";
    public string Kind => SagaKind;

    private static string EntryId(string productId, string save) => $"{productId}|{save}";

    public Task BeginAsync(string productId, string save, CancellationToken ct) =>
        headers.EnlistAsync(SagaKind, EntryId(productId, save), clock.GetUtcNow(), ct);

    public Task EndAsync(string productId, string save, CancellationToken ct) => headers.DelistAsync(SagaKind, EntryId(productId, save), ct);

    /// <summary>
    /// Makes every bucket's copy the product's (idempotent), then ends the save's entry if it is still the version read
    /// before copying: a save that stalled and enlisted again meanwhile may write the product after this copy.
    /// </summary>
    public async Task ResumeAsync(string orderId, CancellationToken ct)
    {
        if (await headers.EnlistedAsync(SagaKind, orderId, ct) is not { } etag) return;
        await partitions.CopyToBucketsAsync(orderId[..orderId.IndexOf('|', StringComparison.Ordinal)], ct);
        await headers.DelistAsync(SagaKind, orderId, etag, ct); // a bucket marked and not made yet copies the product when made
    }
}
