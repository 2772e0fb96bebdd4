using Inventory.Domain;
using Inventory.Storage;

namespace Inventory.Application.Purchasing;

/// <summary>Purchase orders in their own partitions, each change a read-modify-write conditioned on the ETag read.</summary>
public sealed class PurchaseOrderBook(IDocumentStore store, ConcurrencyOptions options)
{
    private readonly OptimisticConcurrency concurrency = new(options);

    public const string DocumentId = "po";

    /// <summary>
    /// Beside the order while it has pending receipts, written in the same transaction as the order: the index the
    /// receipt recovery lists (one entry per order in flight, so the sweep is bounded by the receipts in flight).
    /// </summary>
    public const string ReceivingId = "receiving";

    public async Task<PurchaseOrder?> FindAsync(string poId, CancellationToken ct = default) =>
        (await ReadAsync(poId, ct)).Order;

    public async Task<PurchaseOrder> GetAsync(string poId, CancellationToken ct = default) =>
        await FindAsync(poId, ct) ?? throw new PurchaseOrderNotFoundException(poId);

    /// <summary>Creates the order; an order with this id already there is returned as it is (the create is idempotent).</summary>
    public async Task<(PurchaseOrder Order, bool Created)> CreateAsync(PurchaseOrder order, CancellationToken ct = default)
    {
        return await OptimisticConcurrency.CreateOnceAsync(store, Collection.PurchaseOrders, order.PoId,
            [new DocumentWrite.Create(DocumentId, DocumentJson.Write(order))], ct)
            ? (order, true)
            : (await GetAsync(order.PoId, ct), false);
    }

    /// <summary>
    /// Applies <paramref name="change"/> to the current order and saves it under the ETag read; retries lost races.
    /// The receiving index entry follows the order's pending receipts in the same transaction.
    /// </summary>
    public Task<PurchaseOrder> UpdateAsync(string poId, Func<PurchaseOrder, PurchaseOrder> change, CancellationToken ct = default) =>
        concurrency.RunAsync(poId, async _ =>
        {
            var (order, etag, marker) = await ReadAsync(poId, ct);
            if (order is null) throw new PurchaseOrderNotFoundException(poId);
            var changed = change(order);
            if (ReferenceEquals(changed, order)) return order;
            var writes = new List<DocumentWrite> { new DocumentWrite.Replace(DocumentId, DocumentJson.Write(changed), etag!) };
            if (changed.PendingReceipts.Count > 0 && marker is null)
                writes.Add(new DocumentWrite.Create(ReceivingId, DocumentJson.Write(new ReceivingMarker(poId))) { Type = "receiving" });
            if (changed.PendingReceipts.Count == 0 && marker is not null)
                writes.Add(new DocumentWrite.Delete(ReceivingId, marker.ETag) { Type = "receiving" });
            await store.CommitAsync(Collection.PurchaseOrders, poId, writes, ct);
            return changed;
        }, ct);

    /// <summary>A page of the orders with receipts accepted but not yet applied.</summary>
    public Task<(IReadOnlyList<string> Partitions, string? ContinuationToken)> ReceivingAsync(int pageSize, string? continuationToken, CancellationToken ct) =>
        store.ListPartitionsAsync(Collection.PurchaseOrders, ReceivingId, pageSize, continuationToken, ct);

    private async Task<(PurchaseOrder? Order, string? ETag, StoredDocument? Marker)> ReadAsync(string poId, CancellationToken ct)
    {
        new Guard().Id("poId", poId).ThrowIfAny();
        var docs = await store.ReadAsync(Collection.PurchaseOrders, poId, [DocumentId, ReceivingId], [], ct);
        var po = docs.FirstOrDefault(d => d.Id == DocumentId);
        return (po is null ? null : DocumentJson.Read<PurchaseOrder>(po.Body), po?.ETag, docs.FirstOrDefault(d => d.Id == ReceivingId));
    }

    private sealed record ReceivingMarker(string PoId);
}
