using Inventory.Domain;
using Inventory.Storage;

namespace Inventory.Application.Purchasing;

/// <summary>
/// The purchase orders module: each order is the document <c>po</c> in its own partition of the PurchaseOrders collection,
/// each change a read-modify-write conditioned on the ETag read.
/// </summary>
public sealed class PurchaseOrderBook(IDocumentStore store, ConcurrencyOptions options)
{
    private readonly OptimisticConcurrency concurrency = new(options);

    internal const string DocumentId = "po";

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

    /// <summary>Applies <paramref name="change"/> to the current order and saves it under the ETag read; retries lost races.</summary>
    public Task<PurchaseOrder> UpdateAsync(string poId, Func<PurchaseOrder, PurchaseOrder> change, CancellationToken ct = default) =>
        concurrency.RunAsync(poId, async _ =>
        {
            var (order, etag) = await ReadAsync(poId, ct);
            if (order is null) throw new PurchaseOrderNotFoundException(poId);
            var changed = change(order);
            if (ReferenceEquals(changed, order)) return order;
            await store.CommitAsync(Collection.PurchaseOrders, poId, [new DocumentWrite.Replace(DocumentId, DocumentJson.Write(changed), etag!)], ct);
            return changed;
        }, ct);

    /// <summary>A page of every purchase order, in poId order (a cross-partition query).</summary>
    public static async Task<(IReadOnlyList<PurchaseOrder> Orders, string? ContinuationToken)> PageAsync(IDocumentStore store, int pageSize, string? token,
        CancellationToken ct)
    {
        var page = await store.QueryAcrossPartitionsAsync(Collection.PurchaseOrders, DocumentId, pageSize, token, ct);
        return (page.Documents.Select(d => DocumentJson.Read<PurchaseOrder>(d.Document.Body)).ToArray(), page.ContinuationToken);
    }

    private async Task<(PurchaseOrder? Order, string? ETag)> ReadAsync(string poId, CancellationToken ct)
    {
        new Guard().Id("poId", poId).ThrowIfAny();
        var docs = await store.ReadAsync(Collection.PurchaseOrders, poId, [DocumentId], [], ct);
        var po = docs.FirstOrDefault(d => d.Id == DocumentId);
        return (po is null ? null : DocumentJson.Read<PurchaseOrder>(po.Body), po?.ETag);
    }
}
