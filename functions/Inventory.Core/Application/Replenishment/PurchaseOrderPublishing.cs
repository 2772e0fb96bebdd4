using Inventory.Domain;
using Inventory.Storage;

namespace Inventory.Application.Replenishment;

/// <summary>Sends a purchase order the service raised to suppliers (the queue purchase-orders). Must be safe to repeat for one poId.</summary>
public interface IPurchaseOrderPublisher
{
    Task PublishAsync(PurchaseOrder order, CancellationToken ct = default);
}

/// <summary>
/// Where purchase orders go when no Service Bus is configured (a local run): kept in the store, one document per poId,
/// so they are visible and never dropped. Listed at GET /api/replenishment/outbox.
/// </summary>
public sealed class OutboxPublisher(IDocumentStore store) : IPurchaseOrderPublisher
{
    public const string Partition = "outbox";

    public Task PublishAsync(PurchaseOrder order, CancellationToken ct = default) =>
        store.CommitAsync(Collection.Runs, Partition, [new DocumentWrite.Upsert("po|" + order.PoId, DocumentJson.Write(order))], ct);

    public async Task<IReadOnlyList<PurchaseOrder>> ListAsync(int max = 100, CancellationToken ct = default) =>
        (await store.QueryAsync(Collection.Runs, Partition, "po|", max, null, ct)).Documents.Select(d => DocumentJson.Read<PurchaseOrder>(d.Body)).ToArray();
}
