namespace Inventory.Storage;

/// <summary>The groups of documents the service keeps. Each store maps one to a table or container.</summary>
public enum Collection
{
    /// <summary>Partition = productId: product, stock head, balances, reservations, operation records, ledger.</summary>
    Products,
    /// <summary>Partition = orderId: the order header (its lines and fingerprint).</summary>
    Orders,
    /// <summary>Partition = warehouseId: the warehouse and its locations.</summary>
    Warehouses,
    /// <summary>Partition = locationId: which warehouse a location belongs to.</summary>
    Locations,
    /// <summary>Partition = SKU: the claim that makes a SKU unique.</summary>
    Skus,
    /// <summary>Partition = expiry day (yyyyMMdd): reservations whose hold expires that day.</summary>
    Holds,
    /// <summary>Partition = poId.</summary>
    PurchaseOrders,
    /// <summary>Partition = queue name: messages that could not be processed, with the reason.</summary>
    Quarantine,
    /// <summary>Partition = job name (e.g. replenishment): run records and checkpoints.</summary>
    Runs,
    /// <summary>Partition = one of 16 index buckets (a hash of the productId): one row per product, the catalogue index.</summary>
    Catalog,
}

/// <summary>A document as stored: its id within the partition, its JSON body and the ETag it was read with.</summary>
public sealed record StoredDocument(string Id, string Body, string ETag);

/// <summary>
/// One write of a commit. Every write is conditioned: a create must not exist, a replace or delete must match its ETag.
/// <see cref="Type"/> is what a store may record beside the body (Cosmos: <c>docType</c>): the application sets it, so no
/// store needs to know its document ids.
/// </summary>
public abstract record DocumentWrite(string Id)
{
    /// <summary>What kind of document this is (e.g. "balance", "ledger"); null leaves the store's default for the collection.</summary>
    public string? Type { get; init; }

    public sealed record Create(string Id, string Body) : DocumentWrite(Id);
    public sealed record Replace(string Id, string Body, string IfMatch) : DocumentWrite(Id);
    public sealed record Delete(string Id, string IfMatch) : DocumentWrite(Id);
    /// <summary>Unconditional: only for documents no decision depends on (indexes that are rebuilt from the source).</summary>
    public sealed record Upsert(string Id, string Body) : DocumentWrite(Id);
}

public sealed record DocumentPage(IReadOnlyList<StoredDocument> Documents, string? ContinuationToken);

/// <summary>A document found across partitions, with the partition that holds it.</summary>
public sealed record PartitionDocument(string Partition, StoredDocument Document);

/// <summary>A page of a cross-partition query. It may hold fewer documents than asked, even none, while a token remains.</summary>
public sealed record PartitionDocumentPage(IReadOnlyList<PartitionDocument> Documents, string? ContinuationToken);

/// <summary>
/// What one transaction of this store may carry; <paramref name="MaxPartitionBytes"/>: what one partition may hold in
/// all, where the store caps it (Cosmos DB: 20 GB per logical partition; null: no cap, as on Table Storage).
/// </summary>
public sealed record StoreLimits(int MaxWritesPerCommit, int MaxCommitBytes, int MaxDocumentBytes, string StoreName, long? MaxPartitionBytes = null);

/// <summary>
/// The storage port. Reads return documents with their ETags; <see cref="CommitAsync"/> applies all its writes to one
/// partition atomically or none of them, and throws <see cref="CommitConflictException"/> when a condition fails.
/// Nothing here knows about stock: the application layer decides what the documents are. Every call may throw
/// <see cref="StoreUnavailableException"/> or <see cref="StoreThrottledException"/>, never an SDK's own exception.
/// </summary>
public interface IDocumentStore
{
    StoreLimits Limits { get; }

    /// <summary>
    /// Reads, in one round trip where the store allows, the documents with the given ids and those whose id starts with a
    /// prefix, as one state: a decision on them must never see a torn one (a reservation newer than the balances). A store
    /// that cannot read them as of one moment (Table Storage: parallel requests) reads the first id before the rest and
    /// again after them, and reads again while it changed: callers name first a document every commit of what they read
    /// replaces (a product's head). Past a few attempts the last read stands: its first id is no newer than the rest.
    /// </summary>
    Task<IReadOnlyList<StoredDocument>> ReadAsync(Collection collection, string partition, IReadOnlyCollection<string> ids,
        IReadOnlyCollection<string> idPrefixes, CancellationToken cancellationToken = default);

    /// <summary>Applies every write or none. Throws <see cref="CommitConflictException"/> on a failed condition, <see cref="TransactionTooLargeException"/> past the limits.</summary>
    Task CommitAsync(Collection collection, string partition, IReadOnlyList<DocumentWrite> writes, CancellationToken cancellationToken = default);

    /// <summary>
    /// Documents of one partition whose id starts with <paramref name="idPrefix"/>, in ascending id order, paged. Besides
    /// the store's own tokens, <paramref name="continuationToken"/> may be a <see cref="QueryPosition.After"/> position.
    /// </summary>
    Task<DocumentPage> QueryAsync(Collection collection, string partition, string idPrefix, int pageSize, string? continuationToken,
        CancellationToken cancellationToken = default);

    /// <summary>Partitions of a collection that hold a document with this id, in ascending order, paged (for sweeps and scans).</summary>
    Task<(IReadOnlyList<string> Partitions, string? ContinuationToken)> ListPartitionsAsync(Collection collection, string documentId,
        int pageSize, string? continuationToken, CancellationToken cancellationToken = default);

    /// <summary>
    /// The documents with this id in every partition of a collection, in ascending partition order, paged. A
    /// cross-partition query: for operator lists only, each call bounded by <paramref name="pageSize"/>.
    /// </summary>
    Task<PartitionDocumentPage> QueryAcrossPartitionsAsync(Collection collection, string documentId, int pageSize, string? continuationToken,
        CancellationToken cancellationToken = default);

    /// <summary>Answers when the store is reachable (health checks).</summary>
    Task PingAsync(CancellationToken cancellationToken = default);
}

public enum ConflictKind
{
    /// <summary>A replace or delete met another ETag: someone wrote since the read (HTTP 412).</summary>
    PreconditionFailed,
    /// <summary>A create met an existing document: the operation, or its idempotency record, exists already (HTTP 409).</summary>
    AlreadyExists,
    /// <summary>A replace or delete met no document at all.</summary>
    NotFound,
}

/// <summary>A commit whose condition failed: nothing of it was written.</summary>
public sealed class CommitConflictException(ConflictKind kind, string? documentId, Exception? inner = null)
    : Exception($"Commit refused ({kind}) on document '{documentId ?? "?"}'; nothing was written.", inner)
{
    public ConflictKind Kind { get; } = kind;
    public string? DocumentId { get; } = documentId;
}

/// <summary>
/// A position every store takes as a query's continuation token: the query goes on after the id it names, as if a page
/// had ended there. A caller can then keep where it stopped as an id it derives (a ledger's, from a sequence) rather
/// than the store's token, which on Table Storage is long (its filter and both keys).
/// </summary>
public static class QueryPosition
{
    private const string Marker = "after:"; // ':' is in no store's own token (base64url)

    public static string After(string id) => Marker + id;

    /// <summary>The id a position made by <see cref="After"/> names; false for any other token.</summary>
    public static bool TryAfter(string? token, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? id)
    {
        id = token is not null && token.StartsWith(Marker, StringComparison.Ordinal) ? token[Marker.Length..] : null;
        return id is not null;
    }
}
