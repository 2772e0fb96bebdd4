using Inventory.Domain;
using Inventory.Storage;

namespace Inventory.Application.Replenishment;

/// <summary>
/// Where purchase orders go when no Service Bus is configured (a local run): kept in the store, one document per poId,
/// so they are visible and never dropped: the outbox module, partition <c>outbox</c> of the Runs collection, documents <c>po|{poId}</c>. Listed at GET /api/replenishment/outbox.
/// </summary>
public sealed class OutboxPublisher(IDocumentStore store) : IPurchaseOrderPublisher
{
    public const string Partition = "outbox";
    private const string Prefix = "po|";

    public Task PublishAsync(PurchaseOrder order, CancellationToken ct = default) =>
        store.CommitAsync(Collection.Runs, Partition, [new DocumentWrite.Upsert(Prefix + order.PoId, DocumentJson.Write(order))], ct);

    /// <summary>Up to <paramref name="max"/> orders, following the store's pages (which may be short) until there are no more.</summary>
    public async Task<IReadOnlyList<PurchaseOrder>> ListAsync(int max = 100, CancellationToken ct = default)
    {
        var found = new List<PurchaseOrder>();
        string? token = null;
        do
        {
            var page = await store.QueryAsync(Collection.Runs, Partition, Prefix, max - found.Count, token, ct);
            found.AddRange(page.Documents.Select(d => DocumentJson.Read<PurchaseOrder>(d.Body)));
            token = page.ContinuationToken;
        } while (token is not null && found.Count < max);
        return found;
    }
}
