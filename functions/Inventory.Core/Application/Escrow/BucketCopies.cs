using Inventory.Application.Catalog;
using Inventory.Application.Orders;

namespace Inventory.Application.Escrow;

/// <summary>
/// A save of a product in escrow writes the product, then copies it into each bucket (other partitions): the copies are
/// a saga, enlisted in the open-saga index (kind <c>copy</c>, by product id) before the save and delisted after them.
/// When a crash or a failed copy leaves them undone and no one saves again, the recovery sweep makes them: otherwise a
/// bucket would go on deciding its orders on the product as it was (still selling a product deactivated).
/// </summary>
public sealed class BucketCopies(ProductPartitions partitions, OrderHeaders headers, TimeProvider clock) : IBucketCopies, IOrderSaga
{
    public const string SagaKind = "copy";
    public string Kind => SagaKind;

    public Task BeginAsync(string productId, CancellationToken ct) => headers.EnlistAsync(SagaKind, productId, clock.GetUtcNow(), ct);

    public Task EndAsync(string productId, CancellationToken ct) => headers.DelistAsync(SagaKind, productId, ct);

    /// <summary>Makes every bucket's copy the product's (idempotent), then ends the saga. Its entry names the product.</summary>
    public async Task ResumeAsync(string orderId, CancellationToken ct)
    {
        await partitions.CopyToBucketsAsync(orderId, ct);
        await EndAsync(orderId, ct);
    }
}
