using System.Text;
using Inventory.Storage;

namespace Inventory.Bench;

/// <summary>
/// Request units a call would cost on Cosmos DB, computed from the documents it reads or writes (the published rules of
/// thumb, docs/cosmos.md "RU per operation"): a point read (one id alone) 1 RU per started KB; a query 2.5 RU plus 1 RU per started KB
/// returned past the first; a write <see cref="WriteRuPerKb"/> per started KB of the item; a transactional batch the sum
/// of its operations. Items carry ~150 bytes of system properties besides the body.
/// </summary>
public static class CosmosCharges
{
    /// <summary>
    /// 5.5: the middle of the 5–6 RU a 1 KB write costs with our indexing policy, which excludes <c>/*</c> and indexes at
    /// most four paths (partition key, docType, createdAt, locationId), so the item itself dominates the charge rather than
    /// its index terms. A replace is modelled as a create of the same size (few index terms change); at 6 RU every write
    /// figure below is 9 % higher.
    /// </summary>
    public const double WriteRuPerKb = 5.5;

    public const double QueryBaseRu = 2.5;
    public const int SystemBytes = 150;

    public static double Write(DocumentWrite write) => write switch
    {
        DocumentWrite.Create c => WriteRuPerKb * StartedKb(Bytes(c.Body)),
        DocumentWrite.Replace r => WriteRuPerKb * StartedKb(Bytes(r.Body)),
        DocumentWrite.Upsert u => WriteRuPerKb * StartedKb(Bytes(u.Body)),
        _ => WriteRuPerKb, // a delete removes an item of under 1 KB (every document we delete is)
    };

    public static double Commit(IReadOnlyList<DocumentWrite> writes) => writes.Sum(Write);

    /// <summary>
    /// A batch refused on a condition: Cosmos charges the operations it ran up to the one that failed (then rolled back),
    /// modelled as their writes plus 1 RU for the failed check; the failed one not found (a store that does not say) is the whole batch.
    /// </summary>
    public static double Refused(IReadOnlyList<DocumentWrite> writes, string? failedId)
    {
        var at = failedId is null ? -1 : writes.ToList().FindIndex(w => w.Id == failedId);
        return at < 0 ? Commit(writes) : writes.Take(at).Sum(Write) + 1;
    }

    /// <summary>
    /// A read as <c>CosmosDocumentStore.ReadAsync</c> makes it: one id alone is a point read (1 RU per started KB, 1 RU
    /// when not found), anything else a query in the partition (<c>id IN (...)</c> or <c>STARTSWITH</c>).
    /// </summary>
    public static double Read(IReadOnlyCollection<string> ids, IReadOnlyCollection<string> prefixes, IReadOnlyCollection<StoredDocument> returned) =>
        ids.Count == 1 && prefixes.Count == 0 ? StartedKb(returned.Sum(d => Bytes(d.Body))) : Query(returned);

    /// <summary>A query in one partition: 2.5 RU plus 1 RU per started KB returned past the first.</summary>
    public static double Query(IReadOnlyCollection<StoredDocument> returned)
    {
        var kb = StartedKb(returned.Sum(d => Bytes(d.Body)));
        return QueryBaseRu + Math.Max(0, kb - 1);
    }

    public static int Bytes(string? body) => body is null ? 0 : Encoding.UTF8.GetByteCount(body) + SystemBytes;

    private static int StartedKb(int bytes) => Math.Max(1, (bytes + 1023) / 1024);
}
