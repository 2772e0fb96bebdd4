using System.Security.Cryptography;
using System.Text;
using Inventory.Storage;

namespace Inventory.Application.Counts;

/// <summary>The header of a recorded count: what was sent (by hash), how far it got, and who holds it now.</summary>
public sealed record CountRecord
{
    public required string CountId { get; init; }
    /// <summary>Hash of the rows as sent: the same countId with other rows is a conflict, never a second count.</summary>
    public required string ContentHash { get; init; }
    /// <summary>
    /// Hash of the rows in the order sent, whose chunks are being written (null on counts recorded before it). While the
    /// count is <see cref="CountState.Receiving"/>, the same rows sent in another order take it over in a new
    /// <see cref="Generation"/> of chunks rather than finishing the chunks of the first order (which mixed the two).
    /// </summary>
    public string? RowsOrder { get; init; }
    /// <summary>Which chunks hold the rows: 0, the first send's; one more for each takeover while receiving.</summary>
    public int Generation { get; init; }
    /// <summary>A fresh id on every replace: tells the header read back after a write from one a later writer left.</summary>
    public string? WriteId { get; init; }
    public required string PerformedBy { get; init; }
    public required int Rows { get; init; }
    public required int Chunks { get; init; }
    public CountState State { get; init; }
    public DateTimeOffset AcceptedAt { get; init; }
    public DateTimeOffset? CompletedAt { get; init; }
    /// <summary>Until when a run (the request, or the resume timer) holds the count; past it, the timer may take it over.</summary>
    public DateTimeOffset? LeaseUntil { get; init; }
    /// <summary>Chunks before this one have their outcomes recorded (in order: a chunk's outcome is recorded with this counter).</summary>
    public int NextChunk { get; init; }
    public int ProcessedRows { get; init; }
    public int Applied { get; init; }
    public int Replayed { get; init; }
    public int Failed { get; init; }
    /// <summary>At most <see cref="CountBook.MaxWarnings"/>: location loads not updated, a reorder check that failed.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];
}

/// <summary>Rows of a recorded count, in file order.</summary>
public sealed record CountChunk(int Index, IReadOnlyList<CountRow> Rows);

/// <summary>The outcome of one row of a chunk (same order); its input is in the chunk.</summary>
public sealed record CountRowResult(CountRowStatus Status, string? ProductId, long? QuantityOnHand, string? Code, string? Error);

public sealed record CountChunkResult(int Index, IReadOnlyList<CountRowResult> Rows);

/// <summary>An entry of the index of counts not completed yet (what the resume timer reads).</summary>
public sealed record OpenCount(string CountId, DateTimeOffset Since);

/// <summary>
/// Where recorded counts live: collection Runs, one partition per count (<c>count|{countId}</c>) holding its header
/// (<c>count</c>), its rows in chunks (<c>rows|{n}</c>) and each chunk's outcomes (<c>result|{n}</c>); plus the index of
/// open counts in the partition <c>counts-open</c>, one entry per count not completed. Chunks are small enough for any
/// store's document limit (a Table string property holds 32,768 characters) whatever the row, and so are their outcomes.
/// </summary>
public sealed class CountBook(IDocumentStore store)
{
    public const string OpenPartition = "counts-open";
    public const string Header = "count";
    public const int MaxRowsPerChunk = 50;
    /// <summary>Characters of rows JSON per chunk; an outcome is at most ~500 characters, so 50 of them fit a Table property too.</summary>
    public const int MaxChunkChars = 12_000;
    public const int MaxErrorChars = 240;
    public const int MaxWarnings = 10;

    public IDocumentStore Store => store;

    public static string Partition(string countId) => "count|" + countId;
    public static string RowsId(int chunk, int generation = 0) => generation == 0 ? $"rows|{chunk:D5}" : $"rows|{generation}|{chunk:D5}";
    private static string RowsPrefix(int generation) => generation == 0 ? "rows|" : $"rows|{generation}|";
    public static string ResultId(int chunk) => $"result|{chunk:D5}";

    /// <summary>The rows cut into chunks, in order: each at most <see cref="MaxRowsPerChunk"/> rows and <see cref="MaxChunkChars"/> characters.</summary>
    public static IReadOnlyList<CountChunk> Chunk(IReadOnlyList<CountRow> rows)
    {
        var chunks = new List<CountChunk>();
        var current = new List<CountRow>();
        var chars = 0;
        foreach (var row in rows)
        {
            var size = DocumentJson.Write(row).Length + 1;
            if (current.Count > 0 && (current.Count == MaxRowsPerChunk || chars + size > MaxChunkChars))
            {
                chunks.Add(new CountChunk(chunks.Count, current));
                (current, chars) = ([], 0);
            }
            current.Add(row);
            chars += size;
        }
        if (current.Count > 0) chunks.Add(new CountChunk(chunks.Count, current));
        return chunks;
    }

    /// <summary>
    /// What identifies a count's rows: each row without its line number, in no order, so the same rows sent again in
    /// another order (an export sorted otherwise, a blank line more) are the same count, as a small count's replay is.
    /// </summary>
    public static string HashOf(IReadOnlyList<CountRow> rows) =>
        Sha(string.Join('\n', rows.Select(r => DocumentJson.Write(r with { Line = 0 })).Order(StringComparer.Ordinal)));

    /// <summary>Whether a recorded hash is of these rows: as <see cref="HashOf"/> computes it, or as the list hash recorded before it.</summary>
    public static bool IsHashOf(string recorded, IReadOnlyList<CountRow> rows) => recorded == HashOf(rows) || recorded == OrderHashOf(rows);

    /// <summary>The hash of the rows as a list, in the order sent (what <see cref="CountRecord.ContentHash"/> was before).</summary>
    public static string OrderHashOf(IReadOnlyList<CountRow> rows) => Sha(DocumentJson.Write(rows));

    private static string Sha(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..32];

    public async Task<(CountRecord Record, string ETag)?> ReadAsync(string countId, CancellationToken ct)
    {
        var docs = await store.ReadAsync(Collection.Runs, Partition(countId), [Header], [], ct);
        return docs.Count == 0 ? null : (DocumentJson.Read<CountRecord>(docs[0].Body), docs[0].ETag);
    }

    /// <summary>Creates the header (must not exist): false when a count with this id was recorded before.</summary>
    public Task<bool> CreateAsync(CountRecord record, CancellationToken ct) =>
        OptimisticConcurrency.CreateOnceAsync(store, Collection.Runs, Partition(record.CountId),
            [new DocumentWrite.Create(Header, DocumentJson.Write(record)) { Type = "stockCount" }], ct);

    /// <summary>
    /// Replaces the header under the ETag read, with other documents of the count in the same transaction; the new ETag.
    /// A commit does not answer the ETag it wrote, so it is read back, and it must be of this write (its
    /// <see cref="CountRecord.WriteId"/>): read after another writer's, it would pair this record with theirs, and the
    /// next write under it (a lease, a state) would succeed over a header it never saw. Then this write is as good as
    /// lost: <see cref="CommitConflictException"/>, which every caller takes as another run having moved the count on.
    /// </summary>
    public async Task<string> ReplaceAsync(CountRecord record, string etag, IReadOnlyList<DocumentWrite> with, CancellationToken ct)
    {
        var partition = Partition(record.CountId);
        var writeId = Guid.NewGuid().ToString("N");
        await store.CommitAsync(Collection.Runs, partition,
            [.. with, new DocumentWrite.Replace(Header, DocumentJson.Write(record with { WriteId = writeId }), etag) { Type = "stockCount" }], ct);
        var after = (await store.ReadAsync(Collection.Runs, partition, [Header], [], ct))[0];
        return DocumentJson.Read<CountRecord>(after.Body).WriteId == writeId ? after.ETag
            : throw new CommitConflictException(ConflictKind.PreconditionFailed, Header);
    }

    /// <summary>
    /// Writes the chunks of a generation, as many a transaction as the store takes. A chunk already there (a retry of the
    /// same count, whose header pins the rows and their order for the generation) is left as it is.
    /// </summary>
    public async Task WriteChunksAsync(string countId, int generation, IReadOnlyList<CountChunk> chunks, CancellationToken ct)
    {
        var existing = new HashSet<string>(StringComparer.Ordinal);
        string? token = null;
        do
        {
            var page = await store.QueryAsync(Collection.Runs, Partition(countId), RowsPrefix(generation), 1000, token, ct);
            existing.UnionWith(page.Documents.Select(d => d.Id));
            token = page.ContinuationToken;
        } while (token is not null);
        var writes = chunks.Where(c => !existing.Contains(RowsId(c.Index, generation)))
            .Select(c => (DocumentWrite)new DocumentWrite.Create(RowsId(c.Index, generation), DocumentJson.Write(c)) { Type = "stockCountRows" }).ToArray();
        foreach (var batch in Batches(writes))
        {
            if (await OptimisticConcurrency.CreateOnceAsync(store, Collection.Runs, Partition(countId), batch, ct)) continue;
            // A concurrent retry of the same count wrote some of them: the same rows, so each is written only if missing.
            foreach (var w in batch) await OptimisticConcurrency.CreateOnceAsync(store, Collection.Runs, Partition(countId), [w], ct);
        }
    }

    /// <summary>Groups writes into transactions within the store's limits (bytes counted as UTF-16, with room for the header).</summary>
    public IEnumerable<IReadOnlyList<DocumentWrite>> Batches(IReadOnlyList<DocumentWrite> writes)
    {
        var limits = store.Limits;
        var batch = new List<DocumentWrite>();
        long bytes = 0;
        foreach (var w in writes)
        {
            var size = 2L * (w is DocumentWrite.Create c ? c.Body.Length : 0) + 1024;
            if (batch.Count > 0 && (batch.Count + 2 > limits.MaxWritesPerCommit || bytes + size > limits.MaxCommitBytes / 2))
            {
                yield return batch;
                (batch, bytes) = ([], 0);
            }
            batch.Add(w);
            bytes += size;
        }
        if (batch.Count > 0) yield return batch;
    }

    public async Task<IReadOnlyList<CountChunk>> ReadChunksAsync(CountRecord record, int from, int count, CancellationToken ct)
    {
        var (countId, generation) = (record.CountId, record.Generation);
        var ids = Enumerable.Range(from, count).Select(n => RowsId(n, generation)).ToArray();
        var docs = await store.ReadAsync(Collection.Runs, Partition(countId), ids, [], ct);
        var chunks = docs.Select(d => DocumentJson.Read<CountChunk>(d.Body)).OrderBy(c => c.Index).ToArray();
        return chunks.Length == count ? chunks : throw new InvalidDataException($"Count '{countId}' is missing chunks between {from} and {from + count - 1}.");
    }

    public async Task<IReadOnlyList<CountChunkResult>> ReadResultsAsync(string countId, int from, int count, CancellationToken ct)
    {
        var ids = Enumerable.Range(from, count).Select(ResultId).ToArray();
        var docs = await store.ReadAsync(Collection.Runs, Partition(countId), ids, [], ct);
        return docs.Select(d => DocumentJson.Read<CountChunkResult>(d.Body)).OrderBy(c => c.Index).ToArray();
    }

    public static DocumentWrite ResultWrite(CountChunkResult result) =>
        new DocumentWrite.Create(ResultId(result.Index), DocumentJson.Write(result)) { Type = "stockCountResult" };

    /// <summary>Lists a count as open (an index: unconditioned, a repeat only moves its time).</summary>
    public Task EnlistAsync(string countId, DateTimeOffset now, CancellationToken ct) =>
        store.CommitAsync(Collection.Runs, OpenPartition,
            [new DocumentWrite.Upsert(countId, DocumentJson.Write(new OpenCount(countId, now))) { Type = "openStockCount" }], ct);

    public async Task DelistAsync(string countId, CancellationToken ct)
    {
        var docs = await store.ReadAsync(Collection.Runs, OpenPartition, [countId], [], ct);
        if (docs.Count > 0)
            await OptimisticConcurrency.TryCommitAsync(store, Collection.Runs, OpenPartition, [new DocumentWrite.Delete(countId, docs[0].ETag)], ct);
    }

    public async IAsyncEnumerable<OpenCount> OpenAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        string? token = null;
        do
        {
            var page = await store.QueryAsync(Collection.Runs, OpenPartition, "", 100, token, ct);
            token = page.ContinuationToken;
            foreach (var doc in page.Documents) yield return DocumentJson.Read<OpenCount>(doc.Body);
        } while (token is not null);
    }
}
