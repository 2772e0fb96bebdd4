using Inventory.Storage;

namespace Inventory.Application;

/// <summary>
/// The kind of each document the application writes, named from its collection and id, set on every write on its way
/// to the store (<see cref="DocumentWrite.Type"/>, <see cref="DocumentWrite.Expiring"/>). Documents not named here get
/// their store's default for the collection.
/// </summary>
public sealed class TypedStore(IDocumentStore inner) : IDocumentStore
{
    private static readonly Dictionary<string, string> Exact = new(StringComparer.Ordinal)
    {
        [DocumentIds.Product] = "product",
        [DocumentIds.Head] = "head",
        [DocumentIds.Order] = "order",
        [DocumentIds.Warehouse] = "warehouse",
        [DocumentIds.LocationIndex] = "locationIndex",
        [DocumentIds.SkuClaim] = "skuClaim",
    };

    private static readonly (string Prefix, string Type)[] Prefixes =
    [
        (DocumentIds.BalancePrefix, "balance"),
        (DocumentIds.ReservationPrefix, "reservation"),
        (DocumentIds.OperationPrefix, "operation"),
        (DocumentIds.ChangePrefix, "reservationChange"),
        (DocumentIds.LedgerPrefix, "ledger"),
        (DocumentIds.CheckpointPrefix, "ledgerCheckpoint"),
        (DocumentIds.LocationPrefix, "location"),
        (DocumentIds.ShopifyDeliveryPrefix, "shopifyDelivery"),
        (Orders.OrderHeaders.IntentPrefix, "changeIntent"),
        (Orders.OrderHeaders.OpenIntentPrefix, "openChangeIntent"),
    ];

    public IDocumentStore Inner => inner;

    /// <summary>The type of a document by its id, or null for the collection's default.</summary>
    public static string? TypeOf(string id)
    {
        if (Exact.TryGetValue(id, out var exact)) return exact;
        foreach (var (prefix, type) in Prefixes)
            if (id.StartsWith(prefix, StringComparison.Ordinal)) return type;
        return null;
    }

    /// <summary>Only ledger entries expire, when the store is configured to let them.</summary>
    public static bool IsExpiring(Collection collection, string id) =>
        collection == Collection.Products && id.StartsWith(DocumentIds.LedgerPrefix, StringComparison.Ordinal);

    public StoreLimits Limits => inner.Limits;

    public Task CommitAsync(Collection collection, string partition, IReadOnlyList<DocumentWrite> writes, CancellationToken cancellationToken = default) =>
        inner.CommitAsync(collection, partition,
            writes.Select(w => w with { Type = w.Type ?? TypeOf(w.Id), Expiring = w.Expiring || IsExpiring(collection, w.Id) }).ToArray(), cancellationToken);

    public Task<IReadOnlyList<StoredDocument>> ReadAsync(Collection collection, string partition, IReadOnlyCollection<string> ids,
        IReadOnlyCollection<string> idPrefixes, CancellationToken cancellationToken = default) =>
        inner.ReadAsync(collection, partition, ids, idPrefixes, cancellationToken);

    public Task<DocumentPage> QueryAsync(Collection collection, string partition, string idPrefix, int pageSize, string? continuationToken,
        CancellationToken cancellationToken = default) =>
        inner.QueryAsync(collection, partition, idPrefix, pageSize, continuationToken, cancellationToken);

    public Task<(IReadOnlyList<string> Partitions, string? ContinuationToken)> ListPartitionsAsync(Collection collection, string documentId,
        int pageSize, string? continuationToken, CancellationToken cancellationToken = default) =>
        inner.ListPartitionsAsync(collection, documentId, pageSize, continuationToken, cancellationToken);

    public Task<PartitionDocumentPage> QueryAcrossPartitionsAsync(Collection collection, string documentId, int pageSize, string? continuationToken,
        CancellationToken cancellationToken = default) =>
        inner.QueryAcrossPartitionsAsync(collection, documentId, pageSize, continuationToken, cancellationToken);

    public Task PingAsync(CancellationToken cancellationToken = default) => inner.PingAsync(cancellationToken);
}
