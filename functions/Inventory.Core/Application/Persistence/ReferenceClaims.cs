using Inventory.Domain;
using Inventory.Storage;

namespace Inventory.Application.Stock;

/// <summary>The product a direct adjustment, transfer or receipt reference was first used for.</summary>
public sealed record ReferenceClaim(string Kind, string Reference, string ProductId, DateTimeOffset ClaimedAt);

/// <summary>
/// Binds a direct adjustment, transfer or receipt reference to one product across all products: an operation's record
/// lives in its product's partition, so without this the same reference used for another product would apply there too.
/// The claim is one document in its own partition of the Orders collection, <c>ref|{kind}|direct|{reference}</c> (kind and
/// source namespace it, '%' and '|' escaped; an order id cannot hold '|', so no order's partition is ever one of them),
/// created must-not-exist before the product's commit. The same reference for another product is a
/// <see cref="ReferenceConflictException"/> and changes nothing. A request refused by its product after it claimed the
/// reference unbinds it again, unless the product recorded the reference meanwhile (another request applied it: see
/// <c>Movement</c>, also for when the refusal comes before the claim).
/// </summary>
public sealed class ReferenceClaims(IDocumentStore store, TimeProvider clock)
{
    public const string DocumentId = "reference";
    public const string PartitionPrefix = "ref|";
    public const string DocumentType = "referenceClaim";

    public static string Partition(OperationKind kind, string reference) =>
        $"{PartitionPrefix}{kind.ToString().ToLowerInvariant()}|direct|{reference.Replace("%", "%25", StringComparison.Ordinal).Replace("|", "%7C", StringComparison.Ordinal)}";

    /// <summary>Binds <paramref name="reference"/> to <paramref name="productId"/> (true: bound by this call), or checks that it is bound to it.</summary>
    public async Task<bool> ClaimAsync(OperationKind kind, string reference, string productId, CancellationToken ct)
    {
        var partition = Partition(kind, reference);
        var claim = new ReferenceClaim(kind.ToString().ToLowerInvariant(), reference, productId, clock.GetUtcNow());
        if (await OptimisticConcurrency.CreateOnceAsync(store, Collection.Orders, partition,
                [new DocumentWrite.Create(DocumentId, DocumentJson.Write(claim)) { Type = DocumentType }], ct))
            return true;
        var existing = await store.ReadAsync(Collection.Orders, partition, [DocumentId], [], ct);
        if (existing.Count > 0 && DocumentJson.Read<ReferenceClaim>(existing[0].Body).ProductId != productId)
            throw new ReferenceConflictException(reference);
        return false;
    }

    /// <summary>Whether the reference is bound to another product than <paramref name="productId"/> (read only: a request that would be refused).</summary>
    public async Task<bool> IsBoundElsewhereAsync(OperationKind kind, string reference, string productId, CancellationToken ct)
    {
        var existing = await store.ReadAsync(Collection.Orders, Partition(kind, reference), [DocumentId], [], ct);
        return existing.Count > 0 && DocumentJson.Read<ReferenceClaim>(existing[0].Body).ProductId != productId;
    }

    /// <summary>Unbinds a reference this call bound when the product then refused the request: a refusal changes nothing.</summary>
    public async Task ReleaseAsync(OperationKind kind, string reference, string productId, CancellationToken ct)
    {
        var partition = Partition(kind, reference);
        var existing = await store.ReadAsync(Collection.Orders, partition, [DocumentId], [], ct);
        if (existing.Count > 0 && DocumentJson.Read<ReferenceClaim>(existing[0].Body).ProductId == productId)
            await OptimisticConcurrency.TryCommitAsync(store, Collection.Orders, partition, [new DocumentWrite.Delete(DocumentId, existing[0].ETag)], ct);
    }
}
