using Inventory.Application;
using Inventory.Domain;
using Inventory.Storage;

namespace Inventory.Core.Tests.Ledger;

/// <summary>A product's hot ledger documents read behind the service's back: packs of a commit's entries, or single entries.</summary>
internal static class HotLedger
{
    public static async Task<IReadOnlyList<StoredDocument>> DocumentsAsync(IDocumentStore store, string productId)
    {
        var docs = new List<StoredDocument>();
        string? token = null;
        do
        {
            var page = await store.QueryAsync(Collection.Products, productId, ProductPartitionIds.LedgerPrefix, 1000, token);
            docs.AddRange(page.Documents);
            token = page.ContinuationToken;
        } while (token is not null);
        return docs;
    }

    /// <summary>Every hot entry, newest first.</summary>
    public static async Task<IReadOnlyList<LedgerEntry>> EntriesAsync(IDocumentStore store, string productId) =>
        (await DocumentsAsync(store, productId)).SelectMany(d => LedgerPack.Read(d.Body).Reverse()).ToArray();

    /// <summary>The document that holds entry <paramref name="sequence"/>.</summary>
    public static async Task<StoredDocument> HoldingAsync(IDocumentStore store, string productId, long sequence) =>
        (await DocumentsAsync(store, productId)).Single(d => LedgerPack.Read(d.Body).Any(e => e.Sequence == sequence));

    /// <summary>
    /// Rewrites one entry inside whatever document holds it, as corruption or tampering would (the product's state the
    /// document carries, if any, kept as it was).
    /// </summary>
    public static async Task TamperAsync(IDocumentStore store, string productId, long sequence, Func<LedgerEntry, LedgerEntry> change)
    {
        var doc = await HoldingAsync(store, productId, sequence);
        var entries = LedgerPack.Read(doc.Body).Select(e => e.Sequence == sequence ? change(e) : e).ToArray();
        var pack = new LedgerPack(entries) { State = LedgerPack.StateOf(doc.Body) };
        await store.CommitAsync(Collection.Products, productId, [new DocumentWrite.Replace(doc.Id, DocumentJson.Write(pack.Document), doc.ETag)]);
    }

    /// <summary>
    /// Rewrites every ledger document ending at or below <paramref name="upTo"/> as one document per entry: the layout
    /// every product had before packs (each entry <c>led|{inverted sequence}</c>, the bare entry as its body), where no
    /// ledger document carried the product's state: the head did, so the newest document's state, if rewritten, moves
    /// back to the head.
    /// </summary>
    public static async Task UnpackAsync(IDocumentStore store, string productId, long upTo = long.MaxValue)
    {
        var docs = await DocumentsAsync(store, productId);
        foreach (var doc in docs)
        {
            var entries = LedgerPack.Read(doc.Body);
            var state = LedgerPack.StateOf(doc.Body);
            if ((entries.Count == 1 && state is null) || entries[^1].Sequence > upTo) continue;
            List<DocumentWrite> writes =
                [new DocumentWrite.Replace(doc.Id, DocumentJson.Write(entries[^1]), doc.ETag),
                 .. entries.SkipLast(1).Select(e => (DocumentWrite)new DocumentWrite.Create(ProductPartitionIds.Ledger(e.Sequence), DocumentJson.Write(e)))];
            if (state is not null && doc.Id == docs[0].Id)
            {
                var head = (await store.ReadAsync(Collection.Products, productId, [ProductPartitionIds.Head], [])).Single();
                writes.Add(new DocumentWrite.Replace(ProductPartitionIds.Head, DocumentJson.Write(state), head.ETag));
            }
            await store.CommitAsync(Collection.Products, productId, writes);
        }
    }
}
