using Inventory.Domain;
using Inventory.Storage;

namespace Inventory.Application;

/// <summary>The product partition module's paged queries: ledger, checkpoints, reservations, balances at a location, product ids.</summary>
public sealed partial class ProductPartitions
{
    /// <summary>
    /// A page of the ledger, newest first, entry by entry over its documents (packs of a commit's entries, or single
    /// entries). A page may end inside a pack: its token then names the documents read but not finished (point-read
    /// first by the next page) and the sequence below which it goes on, or, past a few such documents, the store's
    /// position where that read began. The store is asked for about as many documents as the entries still wanted
    /// need at the entries per document seen so far (carried in the token), never more documents than entries.
    /// A token the store did not issue is an <see cref="InvalidContinuationTokenException"/>.
    /// </summary>
    public async Task<(IReadOnlyList<LedgerEntry> Entries, string? ContinuationToken)> LedgerPageAsync(string productId, int pageSize, string? token,
        CancellationToken ct)
    {
        var (storeToken, below, density, named) = LedgerPosition.Parse(token);
        var pending = named.ToArray();
        var entries = new List<LedgerEntry>(Math.Min(pageSize, 1000));
        long documents = 0, read = 0;

        // Takes the documents' entries below the position, newest first, until the page is full; returns where it stopped (-1: all taken).
        int Take(IReadOnlyList<StoredDocument> docs)
        {
            for (var d = 0; d < docs.Count; d++)
            {
                var pack = LedgerPack.Read(docs[d].Body);
                documents++;
                read += pack.Count;
                density = Math.Max(LedgerPosition.OneEntryEach, read * LedgerPosition.OneEntryEach / documents);
                for (var i = pack.Count - 1; i >= 0; i--)
                {
                    if (pack[i].Sequence >= below) continue;
                    if (entries.Count == pageSize) return d;
                    entries.Add(pack[i]);
                    below = pack[i].Sequence;
                }
            }
            return -1;
        }

        var resumed = pending.Length > 0; // the store's position is after the pending documents
        while (pending.Length > 0)
        {
            // Sequences are gapless, so a pending document holds the entries down to the next one's name: read only those the page needs.
            var needed = 1;
            for (long available = 0; needed < pending.Length; needed++)
            {
                available += Math.Min(below - 1, pending[needed - 1]) - pending[needed];
                if (available >= pageSize - entries.Count) break;
            }
            var docs = (await store.ReadAsync(Collection.Products, productId, pending.Take(needed).Select(ProductPartitionIds.Ledger).ToArray(), [], ct))
                .OrderBy(d => d.Id, StringComparer.Ordinal).ToArray();
            var stop = Take(docs);
            pending = (stop >= 0 ? Pending(docs, stop) : []).Concat(pending.Skip(needed)).ToArray();
            if (stop >= 0 || (entries.Count == pageSize && pending.Length > 0))
                return (entries, new LedgerPosition(storeToken, below, density, pending).ToToken());
        }
        if (resumed)
        {
            if (storeToken is null) return (entries, null); // the documents named were the last
            if (entries.Count == pageSize) return (entries, new LedgerPosition(storeToken, below, density, []).ToToken());
        }
        // A later read goes on after the last document read (a position by its name, a few characters), not from the
        // store's token (on Table Storage its filter and both keys): a product in escrow's token holds one per bucket.
        var position = storeToken;
        while (true)
        {
            var start = position;
            var wanted = pageSize - entries.Count;
            var asked = (int)Math.Clamp(wanted * LedgerPosition.OneEntryEach / density, 1, wanted);
            var page = await store.QueryAsync(Collection.Products, productId, ProductPartitionIds.LedgerPrefix, asked, storeToken, ct);
            storeToken = page.ContinuationToken;
            if (page.Documents.Count > 0) position = QueryPosition.After(page.Documents[^1].Id);
            if (Take(page.Documents) is var stop and >= 0)
                return (entries, page.Documents.Count - stop <= LedgerPosition.MaxPending
                    ? new LedgerPosition(storeToken is null ? null : position, below, density, Pending(page.Documents, stop)).ToToken()
                    : new LedgerPosition(start, below, density, []).ToToken()); // too many to name: read them again from where this read began
            if (storeToken is null) return (entries, null);
            if (entries.Count == pageSize) return (entries, new LedgerPosition(position, below, density, []).ToToken());
        }
    }

    /// <summary>The ledger sequences naming the documents from <paramref name="stop"/> on.</summary>
    private static long[] Pending(IReadOnlyList<StoredDocument> docs, int stop) =>
        docs.Skip(stop).Select(d => ProductPartitionIds.LedgerSequence(d.Id)).ToArray();

    /// <summary>
    /// A page of the ledger checkpoints, newest first, each whole (<see cref="CheckpointParts"/>; <paramref name="pageSize"/>
    /// counts documents). A page whose last checkpoint has parts goes on after its last part, so no page starts among them.
    /// </summary>
    public async Task<(IReadOnlyList<LedgerCheckpoint> Checkpoints, string? ContinuationToken)> CheckpointPageAsync(string productId, int pageSize,
        string? token, CancellationToken ct)
    {
        var page = await store.QueryAsync(Collection.Products, productId, ProductPartitionIds.CheckpointPrefix, pageSize, token, ct);
        var found = await WholeCheckpointsAsync(productId, page.Documents, ct);
        return (found.Select(f => f.Checkpoint).ToArray(),
            page.ContinuationToken is not null && found.Count > 0 && ProductPartitionIds.IsCheckpointPart(found[^1].LastId)
                ? QueryPosition.After(found[^1].LastId) : page.ContinuationToken);
    }

    /// <summary>The checkpoint taken at <paramref name="sequence"/> (whole), or null.</summary>
    public async Task<LedgerCheckpoint?> CheckpointAsync(string productId, long sequence, CancellationToken ct)
    {
        var read = await store.ReadAsync(Collection.Products, productId, [ProductPartitionIds.Checkpoint(sequence)], [], ct);
        return read.Count == 0 ? null : (await WholeCheckpointsAsync(productId, read, ct))[0].Checkpoint;
    }

    /// <summary>
    /// The checkpoints whose own documents are among <paramref name="docs"/>, in their order, each with the id of its last
    /// document: its parts are taken from <paramref name="docs"/>, or read by id (one read for all) when the read stopped
    /// before them. Parts whose checkpoint is not among them (a read that began inside them) are left out.
    /// </summary>
    private async Task<IReadOnlyList<(LedgerCheckpoint Checkpoint, string LastId)>> WholeCheckpointsAsync(string productId,
        IReadOnlyList<StoredDocument> docs, CancellationToken ct)
    {
        var firsts = docs.Where(d => !ProductPartitionIds.IsCheckpointPart(d.Id)).Select(d => DocumentJson.Read<CheckpointFirst>(d.Body)).ToArray();
        var parts = docs.Where(d => ProductPartitionIds.IsCheckpointPart(d.Id)).ToDictionary(d => d.Id, StringComparer.Ordinal);
        var missing = firsts.SelectMany(CheckpointParts.PartIds).Where(id => !parts.ContainsKey(id)).ToArray();
        if (missing.Length > 0)
            foreach (var d in await store.ReadAsync(Collection.Products, productId, missing, [], ct)) parts[d.Id] = d;
        return firsts.Select(f => (CheckpointParts.Whole(f, parts),
            f.Parts == 0 ? ProductPartitionIds.Checkpoint(f.Sequence) : ProductPartitionIds.CheckpointPart(f.Sequence, f.Parts))).ToArray();
    }

    /// <summary>
    /// A page of the product's reservations of one status (null: all), each prefix in order id order (a pack's part by
    /// part, each part in order id order): active ones read the open prefix, then the packs; closed ones the closed prefix,
    /// then the open one (closed reservations written before the split are there); all, the open prefix, the packs, then
    /// the closed prefix. A pack part is read alone; a page that ends inside one names the part and the last order taken,
    /// and the next reads that part again by id and goes on after that order, then after the part: reservations leave
    /// parts (and emptied parts are deleted) and new parts are made between pages, so a count of those taken would skip
    /// or repeat some. The token names the prefix it continues (opaque).
    /// </summary>
    public async Task<(IReadOnlyList<ProductReservation> Reservations, string? ContinuationToken)> ReservationPageAsync(string productId,
        ReservationStatus? status, int pageSize, string? token, CancellationToken ct)
    {
        string[] prefixes = status switch
        {
            null => [ProductPartitionIds.ReservationPrefix, ProductPartitionIds.PackPrefix, ProductPartitionIds.ClosedReservationPrefix],
            ReservationStatus.Active => [ProductPartitionIds.ReservationPrefix, ProductPartitionIds.PackPrefix],
            _ => [ProductPartitionIds.ClosedReservationPrefix, ProductPartitionIds.ReservationPrefix],
        };
        var cursor = ReservationCursor.Parse(token, prefixes.Length);
        var at = cursor.Prefix;
        var inner = cursor.Inner;
        string? NextPrefix() => at + 1 < prefixes.Length ? ReservationCursor.Format(at + 1, null) : null;
        if (prefixes[at] != ProductPartitionIds.PackPrefix)
        {
            var page = await store.QueryAsync(Collection.Products, productId, prefixes[at], pageSize, inner, ct);
            return (page.Documents.Select(d => DocumentJson.Read<ProductReservation>(d.Body)).ToArray(),
                page.ContinuationToken is { } more ? ReservationCursor.Format(at, more) : NextPrefix());
        }
        if (cursor.Part is { } partId)
        {
            // Inside a part: what it holds now after the last order taken, then the parts after it.
            var read = await store.ReadAsync(Collection.Products, productId, [partId], [], ct);
            var rest = read.Count == 0 ? [] : Sorted(read[0]).Where(r => string.CompareOrdinal(r.OrderId, cursor.After) > 0).ToArray();
            if (rest.Length > 0) return Take(partId, rest, QueryPosition.After(partId));
            inner = QueryPosition.After(partId);
        }
        var parts = await store.QueryAsync(Collection.Products, productId, prefixes[at], 1, inner, ct);
        if (parts.Documents.Count == 0) // a store may answer a page with no document and a token: it goes on from there
            return ([], parts.ContinuationToken is { } on ? (cursor.Taken > 0 ? ReservationCursor.Format(at, on, cursor.Taken) : ReservationCursor.Format(at, on)) : NextPrefix());
        // A token of the first version inside a part counted what it took there (read as it was written).
        return Take(parts.Documents[0].Id, Sorted(parts.Documents[0]).Skip(cursor.Taken).ToArray(), parts.ContinuationToken);

        (IReadOnlyList<ProductReservation>, string?) Take(string part, ProductReservation[] from, string? afterPart)
        {
            var taken = from.Take(pageSize).ToArray();
            return (taken, taken.Length < from.Length ? ReservationCursor.InPart(at, part, taken[^1].OrderId)
                : afterPart is not null ? ReservationCursor.Format(at, afterPart) : NextPrefix());
        }

        static ProductReservation[] Sorted(StoredDocument part) =>
            ReservationPack.Read(part.Body).Reservations.OrderBy(r => r.OrderId, StringComparer.Ordinal).ToArray();
    }

    /// <summary>
    /// A page of the products that hold (or held) a balance at one location, in product id order: a cross-partition query
    /// of the location's <c>bal|</c> documents (index entries while the head holds the balances, see <see cref="BalanceMarker"/>).
    /// </summary>
    public async Task<(IReadOnlyList<string> ProductIds, string? ContinuationToken)> ProductsAtPageAsync(string locationId, int pageSize, string? token,
        CancellationToken ct)
    {
        var (partitions, next) = await PartitionsAtPageAsync(locationId, pageSize, token, ct);
        return (partitions.Where(p => !EscrowBucket.IsBucket(p)).ToArray(), next); // buckets: not products
    }

    /// <summary>The same, escrow buckets included: every partition whose balances allocate from the location.</summary>
    public async Task<(IReadOnlyList<string> Partitions, string? ContinuationToken)> PartitionsAtPageAsync(string locationId, int pageSize, string? token,
        CancellationToken ct)
    {
        var page = await store.QueryAcrossPartitionsAsync(Collection.Products, ProductPartitionIds.Balance(locationId), pageSize, token, ct);
        return (page.Documents.Select(d => d.Partition).ToArray(), page.ContinuationToken);
    }

    /// <summary>The product and its balance at one location, in one read (the head's, or the <c>bal|</c> document's when the head holds none).</summary>
    public async Task<(Product? Product, StockBalance? Balance)> BalanceAtAsync(string productId, string locationId, CancellationToken ct)
    {
        var (docs, balances) = await WithBucketsAsync(productId,
            () => ReadAsync(productId, [ProductPartitionIds.Product, ProductPartitionIds.Head, ProductPartitionIds.Balance(locationId)], [], ct), ct);
        return (docs.Product, balances.FirstOrDefault(b => b.LocationId == locationId));
    }

    /// <summary>A page of the ids of every product (a scan of the whole collection: operators' one-offs only).</summary>
    /// <remarks>Escrow buckets have a product document of their own, but are not products: left out.</remarks>
    public async Task<(IReadOnlyList<string> Partitions, string? ContinuationToken)> ProductIdsPageAsync(int pageSize, string? token, CancellationToken ct)
    {
        var (partitions, next) = await store.ListPartitionsAsync(Collection.Products, ProductPartitionIds.Product, pageSize, token, ct);
        return (partitions.Where(p => !EscrowBucket.IsBucket(p)).ToArray(), next);
    }
}

/// <summary>
/// Where a reservation list goes on: which of its prefixes and the store's token in it, or, inside a pack part, the part
/// and the last order taken from it. URL-safe, opaque. Tokens of the first version inside a part carry how many of its
/// reservations were taken (read as before, skipping that many).
/// </summary>
internal static class ReservationCursor
{
    private const string Version = "r1";
    private const string InPartVersion = "r2";

    public sealed record Position(int Prefix, string? Inner, string? Part = null, string? After = null, int Taken = 0);

    public static string Format(int prefix, string? inner, int taken = 0) =>
        Encode(taken == 0 ? $"{Version}|{prefix}|{inner}" : $"{Version}|{prefix}.{taken}|{inner}");

    /// <summary>Inside pack part <paramref name="part"/>, after order <paramref name="after"/> (order ids hold no '|').</summary>
    public static string InPart(int prefix, string part, string after) => Encode($"{InPartVersion}|{prefix}|{after}|{part}");

    public static Position Parse(string? token, int prefixes)
    {
        if (token is null) return new(0, null);
        try
        {
            var text = System.Text.Encoding.UTF8.GetString(System.Buffers.Text.Base64Url.DecodeFromChars(token));
            var parts = text.Split('|', 3);
            if (parts.Length == 3 && parts[0] == InPartVersion && Number(parts[1], out var at) && at < prefixes
                && parts[2].Split('|', 2) is [{ Length: > 0 } after, var part] && part.StartsWith(ProductPartitionIds.PackPrefix, StringComparison.Ordinal))
                return new(at, null, part, after);
            var position = parts.Length == 3 ? parts[1].Split('.') : [];
            var taken = 0;
            if (parts.Length == 3 && parts[0] == Version && position.Length is 1 or 2 && Number(position[0], out var prefix) && prefix < prefixes
                && (position.Length == 1 || (Number(position[1], out taken) && taken > 0)))
                return new(prefix, parts[2].Length == 0 ? null : parts[2], Taken: taken);
        }
        catch (FormatException) { }
        throw new InvalidContinuationTokenException();
    }

    private static string Encode(string text) => System.Buffers.Text.Base64Url.EncodeToString(System.Text.Encoding.UTF8.GetBytes(text));

    private static bool Number(string text, out int value) =>
        int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out value);
}

/// <summary>
/// Where a ledger read goes on: the store's query position, the sequence below which entries are still to come, the
/// entries per 100 documents seen so far, and the documents (by the sequence that names them) read but not finished.
/// Written <c>~{below}~{density}~{pending, comma-separated}~@{n}</c>, the query going on after the document named by
/// sequence n (<see cref="QueryPosition"/>). Tokens written before carry the store's own token in that place ('@' and '~'
/// begin none), and a bare store token (a page that ended on a document's end before packs existed): both still read.
/// </summary>
internal sealed record LedgerPosition(string? StoreToken, long Below, long Density, IReadOnlyList<long> Pending)
{
    public const long OneEntryEach = 100;
    /// <summary>Documents a token may name; past it the next page reads them again from the store's position.</summary>
    public const int MaxPending = 64;

    /// <summary>With documents pending, the store's position is after them (none: they were the last); without, a null one is the ledger's start.</summary>
    public string ToToken() =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"~{Below}~{Density}~{string.Join(',', Pending.Select((p, i) => i == 0 ? p : Pending[i - 1] - p))}~{Short(StoreToken)}");

    private static string? Short(string? storeToken) =>
        QueryPosition.TryAfter(storeToken, out var id) ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"@{ProductPartitionIds.LedgerSequence(id)}") : storeToken;

    /// <summary>
    /// Where a read goes on from entry <paramref name="sequence"/> down, a commit's last (a checkpoint's): at the document that
    /// ends on it, which holds no entry above it (a commit's packs end on its last entry), whatever was read before.
    /// </summary>
    public static LedgerPosition From(long sequence, long density) =>
        new(QueryPosition.After(ProductPartitionIds.Ledger(sequence + 1)), sequence + 1, density, []);

    /// <summary>Pending documents are written as the first's sequence, then each one's distance below the one before (short).</summary>
    public static LedgerPosition Parse(string? token)
    {
        if (token is null) return new(null, long.MaxValue, OneEntryEach, []);
        if (!token.StartsWith('~')) return new(token, long.MaxValue, OneEntryEach, []);
        var parts = token.Split('~', 5);
        if (parts.Length != 5 || !Number(parts[1], out var below) || !Number(parts[2], out var density) || density < OneEntryEach)
            throw new InvalidContinuationTokenException();
        var pending = new List<long>();
        foreach (var p in parts[3].Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            if (!Number(p, out var n) || pending.Count == MaxPending || (pending.Count > 0 && (n < 1 || n >= pending[^1]))) throw new InvalidContinuationTokenException();
            pending.Add(pending.Count == 0 ? n : pending[^1] - n);
        }
        long? at = null;
        var store = parts[4] switch
        {
            "" => null,
            ['@', .. var n] => Number(n, out var after) && after > 0 ? QueryPosition.After(ProductPartitionIds.Ledger((at = after).Value)) : throw new InvalidContinuationTokenException(),
            var own when QueryPosition.TryAfter(own, out _) => throw new InvalidContinuationTokenException(), // written "@n": this one is forged
            var own => own,
        };
        // As issued, the parts agree (a store's own token, written before, cannot be checked so): the store goes on after the
        // last document pending, and with none pending the position is at or above the entry below the last one taken. One
        // that disagrees would list from the wrong place, skipping entries. (How far below the last entry taken the first
        // pending document ends is not checked: across a gap in the hot ledger, which the full audit must read to report,
        // a token as issued has it anywhere below.)
        if (pending.Count > 0 ? at is { } last && last != pending[^1] : at is { } n2 && below > n2)
            throw new InvalidContinuationTokenException();
        return new(store, below, density, pending);
    }

    private static bool Number(string text, out long value) =>
        long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out value);
}
