using System.Security.Cryptography;
using System.Text;
using Inventory.Storage;

namespace Inventory.Application.Orders;

/// <summary>
/// The index of open sagas: one entry per unfinished saga of an order, written before the saga's intent and removed once
/// it is terminal, so <see cref="RecoverOrders"/> reads only what is in flight. Entries are spread over
/// <see cref="OpenBuckets"/> fixed partitions of the Orders collection (<c>open|{bucket}</c>; an order id cannot contain
/// '|', so no order's partition is ever one of them), each entry <c>{kind}|{orderId}</c>.
/// </summary>
public sealed partial class OrderHeaders
{
    public const int OpenBuckets = 16;
    public const string OpenPartitionPrefix = "open|";
    /// <summary>Document type of an entry, set on each of its writes.</summary>
    public const string OpenSagaType = "openSaga";

    public static string OpenPartition(string orderId) =>
        OpenPartitionPrefix + (SHA256.HashData(Encoding.UTF8.GetBytes(orderId))[0] % OpenBuckets).ToString("D2", System.Globalization.CultureInfo.InvariantCulture);

    public static IEnumerable<string> OpenPartitions() =>
        Enumerable.Range(0, OpenBuckets).Select(b => OpenPartitionPrefix + b.ToString("D2", System.Globalization.CultureInfo.InvariantCulture));

    private static string OpenId(string kind, string orderId) => $"{kind}|{orderId}";

    /// <summary>Enlists an order's saga of <paramref name="kind"/> (an index: unconditioned, a repeat only moves its time).</summary>
    public Task EnlistAsync(string kind, string orderId, DateTimeOffset now, CancellationToken ct) =>
        store.CommitAsync(Collection.Orders, OpenPartition(orderId),
            [new DocumentWrite.Upsert(OpenId(kind, orderId), DocumentJson.Write(new OpenSaga(kind, orderId, now))) { Type = OpenSagaType }], ct);

    /// <summary>
    /// Enlists a saga that several requests of the order share (its changes: one entry for all): the first enlistment
    /// writes <paramref name="now"/> as <see cref="OpenSaga.Since"/>; one while the entry is open keeps that time (when
    /// the oldest unfinished change began) and records only its own in <see cref="OpenSaga.EnlistedAt"/>. Moving
    /// <c>Since</c>, each new change of a busy order put off the recovery of one stuck before it for good. Still a
    /// write of the entry (under the ETag read), so a delisting that read it before fails and the entry stays.
    /// </summary>
    public async Task EnlistSharedAsync(string kind, string orderId, DateTimeOffset now, string run, CancellationToken ct)
    {
        // Usually none is open: one create, as the upsert was.
        if (await OptimisticConcurrency.CreateOnceAsync(store, Collection.Orders, OpenPartition(orderId), [SharedEntry(kind, orderId, now, now, run, null)], ct)) return;
        await EnlistSharedAgainAsync(kind, orderId, now, run, ct);
    }

    /// <summary>
    /// Writes a shared entry again once the request's intent is recorded (read, then replaced or created): a delisting
    /// that looked for pending intents before the intent landed read the entry before this write, so its removal fails,
    /// or came first, and the entry is made again. Either way the entry is there before any step of the intent runs.
    /// </summary>
    public Task EnlistSharedAgainAsync(string kind, string orderId, DateTimeOffset now, string run, CancellationToken ct)
    {
        var partition = OpenPartition(orderId);
        return concurrency.RunAsync(partition, async _ =>
        {
            var docs = await store.ReadAsync(Collection.Orders, partition, [OpenId(kind, orderId)], [], ct);
            var open = docs.Count == 0 ? null : DocumentJson.Read<OpenSaga>(docs[0].Body);
            await store.CommitAsync(Collection.Orders, partition, [SharedEntry(kind, orderId, open?.Since ?? now, now, run, open is null ? null : docs[0].ETag)], ct);
        }, ct);
    }

    private static DocumentWrite SharedEntry(string kind, string orderId, DateTimeOffset since, DateTimeOffset now, string run, string? etag)
    {
        var body = DocumentJson.Write(new OpenSaga(kind, orderId, since) { EnlistedAt = now, EnlistedBy = run });
        var id = OpenId(kind, orderId);
        return etag is null ? new DocumentWrite.Create(id, body) { Type = OpenSagaType } : new DocumentWrite.Replace(id, body, etag) { Type = OpenSagaType };
    }

    /// <summary>The entry as enlisted now, with its ETag (null: not enlisted).</summary>
    public async Task<(OpenSaga Entry, string ETag)?> EnlistmentAsync(string kind, string orderId, CancellationToken ct)
    {
        var docs = await store.ReadAsync(Collection.Orders, OpenPartition(orderId), [OpenId(kind, orderId)], [], ct);
        return docs.Count == 0 ? null : (DocumentJson.Read<OpenSaga>(docs[0].Body), docs[0].ETag);
    }

    /// <summary>
    /// Enlists a saga whose coordinating document does not exist yet, with its intent in the entry itself
    /// (<paramref name="entry"/> serialises with <c>kind</c>, <c>orderId</c> and <c>since</c>, so it reads as an <see cref="OpenSaga"/>).
    /// </summary>
    public Task EnlistAsync<TEntry>(string kind, string orderId, TEntry entry, CancellationToken ct) where TEntry : class =>
        store.CommitAsync(Collection.Orders, OpenPartition(orderId),
            [new DocumentWrite.Upsert(OpenId(kind, orderId), DocumentJson.Write(entry)) { Type = OpenSagaType }], ct);

    /// <summary>The entry of an open saga with its intent, or null when it is not (or no longer) enlisted.</summary>
    public async Task<TEntry?> OpenEntryAsync<TEntry>(string kind, string orderId, CancellationToken ct) where TEntry : class
    {
        var docs = await store.ReadAsync(Collection.Orders, OpenPartition(orderId), [OpenId(kind, orderId)], [], ct);
        return docs.Count == 0 ? null : DocumentJson.Read<TEntry>(docs[0].Body);
    }

    /// <summary>
    /// Removes the entry once the saga is terminal (for a saga no one else enlists under its id: a move, a save). Lost to a
    /// concurrent re-enlistment, it stays for recovery to look at again; where another request may enlist the same id
    /// (an order's), decide after reading the entry: <see cref="DelistIfAsync"/>.
    /// </summary>
    public async Task DelistAsync(string kind, string orderId, CancellationToken ct)
    {
        var partition = OpenPartition(orderId);
        var docs = await store.ReadAsync(Collection.Orders, partition, [OpenId(kind, orderId)], [], ct);
        if (docs.Count > 0)
            await OptimisticConcurrency.TryCommitAsync(store, Collection.Orders, partition, [new DocumentWrite.Delete(docs[0].Id, docs[0].ETag)], ct);
    }

    /// <summary>
    /// Removes the entry if <paramref name="done"/> holds once its version is read, and only that version: a request that
    /// enlists the order again after the read keeps its entry. Deciding first and reading the entry after would delete the
    /// entry of a saga that began in between (its intent recorded, then its instance dead: recovery would never see it).
    /// </summary>
    /// <summary>
    /// <see cref="DelistIfAsync"/> for a shared entry, which goes only when <paramref name="mayGo"/> holds for it as read
    /// (enlisted last by the caller's own run, or long enough ago): another request enlisted lately may still be on its
    /// way to its intent, which <paramref name="done"/> cannot see yet.
    /// </summary>
    public async Task DelistSharedIfAsync(string kind, string orderId, Func<OpenSaga, bool> mayGo, Func<Task<bool>> done, CancellationToken ct)
    {
        if (await EnlistmentAsync(kind, orderId, ct) is { } e && mayGo(e.Entry) && await done()) await DelistAsync(kind, orderId, e.ETag, ct);
    }

    public async Task DelistIfAsync(string kind, string orderId, Func<Task<bool>> done, CancellationToken ct)
    {
        if (await EnlistedAsync(kind, orderId, ct) is { } etag && await done()) await DelistAsync(kind, orderId, etag, ct);
    }

    /// <summary>The ETag of an entry as enlisted now (null: not enlisted), for a removal only of that version (<see cref="DelistAsync(string, string, string, CancellationToken)"/>).</summary>
    public async Task<string?> EnlistedAsync(string kind, string orderId, CancellationToken ct)
    {
        var docs = await store.ReadAsync(Collection.Orders, OpenPartition(orderId), [OpenId(kind, orderId)], [], ct);
        return docs.Count == 0 ? null : docs[0].ETag;
    }

    /// <summary>Removes the entry if it is still as read with <paramref name="etag"/>: enlisted again since, it stays.</summary>
    public Task DelistAsync(string kind, string orderId, string etag, CancellationToken ct) =>
        OptimisticConcurrency.TryCommitAsync(store, Collection.Orders, OpenPartition(orderId), [new DocumentWrite.Delete(OpenId(kind, orderId), etag)], ct);

    /// <summary>Every open saga, bucket by bucket (the index holds only what is in flight).</summary>
    public async IAsyncEnumerable<OpenSaga> OpenSagasAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        foreach (var partition in OpenPartitions())
        {
            string? token = null;
            do
            {
                var page = await store.QueryAsync(Collection.Orders, partition, "", 100, token, ct);
                token = page.ContinuationToken;
                foreach (var doc in page.Documents) yield return DocumentJson.Read<OpenSaga>(doc.Body);
            } while (token is not null);
        }
    }
}
