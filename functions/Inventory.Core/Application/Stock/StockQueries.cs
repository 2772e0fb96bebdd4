using Inventory.Domain;
using Inventory.Storage;

namespace Inventory.Application.Stock;

public sealed record LocationStockView(string WarehouseId, string LocationId, string LocationType, long QuantityOnHand, long QuantityReserved,
    long QuantityAvailable, DateTimeOffset? LastCountedAt, DateTimeOffset? LastMovedAt);

public sealed record StockView(string ProductId, string Sku, long QuantityOnHand, long QuantityReserved, long QuantityAvailable,
    long QuantityIncoming, IReadOnlyList<LocationStockView> Locations);

public sealed record LedgerPage(IReadOnlyList<LedgerEntry> Entries, string? ContinuationToken);

/// <summary>Stock of a product (totals and per location) and its ledger, newest first.</summary>
public sealed class StockQueries(ProductPartitions partitions, ArchivedLedger? archive = null)
{
    public const int MaxPageSize = 1000;

    public async Task<StockView> GetStockAsync(string productId, CancellationToken ct = default)
    {
        new Guard().Id("productId", productId).ThrowIfAny();
        var stock = await partitions.SnapshotAsync(productId, ct) ?? throw new ProductNotFoundException(productId);
        var locations = stock.Balances.OrderBy(b => b.WarehouseId, StringComparer.Ordinal).ThenBy(b => b.LocationId, StringComparer.Ordinal)
            .Select(b => new LocationStockView(b.WarehouseId, b.LocationId, b.LocationType.ToString(), b.QuantityOnHand, b.QuantityReserved,
                b.QuantityAvailable, b.LastCountedAt, b.LastMovedAt)).ToArray();
        long onHand = stock.Balances.Sum(b => b.QuantityOnHand), reserved = stock.Balances.Sum(b => b.QuantityReserved);
        return new StockView(productId, stock.Product.Sku, onHand, reserved, onHand - reserved, stock.Supply.Incoming, locations);
    }

    /// <summary>
    /// A page of the ledger, newest first: the hot entries, then, once they run out, the archived ones below the oldest
    /// hot entry seen (entries moved while a client pages are found in the archive, none twice). A product in escrow
    /// lists its buckets' ledgers with its own (<see cref="EscrowLedger"/>); a page begun before it went into escrow goes on in its own.
    /// </summary>
    public async Task<LedgerPage> GetLedgerAsync(string productId, int pageSize = 100, string? continuationToken = null, CancellationToken ct = default)
    {
        new Guard().Id("productId", productId).That(pageSize is > 0 and <= MaxPageSize, "pageSize", $"must be between 1 and {MaxPageSize}").ThrowIfAny();
        // Marks (TxnType.Mark: a commit that moved nothing) are left out, and the page reads on past them, a few reads at most.
        var entries = new List<LedgerEntry>();
        var token = continuationToken;
        for (var reads = 1; ; reads++)
        {
            var page = await PageAsync(productId, pageSize - entries.Count, token, ct);
            entries.AddRange(page.Entries.Where(e => e.TxnType != TxnType.Mark));
            token = page.ContinuationToken;
            if (token is null || entries.Count == pageSize || reads == MaxReadsPastMarks) return new LedgerPage(entries, token);
        }
    }

    /// <summary>Reads of one page of the ledger route before it answers with fewer entries than asked (and its token).</summary>
    private const int MaxReadsPastMarks = 8;

    private async Task<LedgerPage> PageAsync(string productId, int pageSize, string? continuationToken, CancellationToken ct)
    {
        var merged = EscrowLedger.IsItsToken(continuationToken);
        var cursor = merged ? null : LedgerCursor.Parse(continuationToken);
        var (exists, buckets) = await partitions.LedgerSourcesAsync(productId, ct);
        if (!exists) throw new ProductNotFoundException(productId);
        if (merged || (continuationToken is null && buckets.Count > 0))
            return await new EscrowLedger(partitions, archive, productId).PageAsync(buckets, pageSize, continuationToken, ct);
        var (entries, next) = await new LedgerSource(partitions, productId, archive).ReadAsync(cursor!, pageSize, ct);
        return new LedgerPage(entries, next?.ToToken());
    }
}

/// <summary>One partition's ledger (a product's, with its archive, or an escrow bucket's), read page by page, newest first.</summary>
internal sealed record LedgerSource(ProductPartitions Partitions, string Partition, ArchivedLedger? Archive)
{
    /// <summary>Up to <paramref name="count"/> entries below the cursor, and where the next read goes on (null: the ledger's end).</summary>
    public async Task<(IReadOnlyList<LedgerEntry> Entries, LedgerCursor? Next)> ReadAsync(LedgerCursor cursor, int count, CancellationToken ct)
    {
        var entries = new List<LedgerEntry>();
        var below = cursor.Below;
        if (cursor.Hot)
        {
            IReadOnlyList<LedgerEntry> hot;
            string? more;
            try { (hot, more) = await Partitions.LedgerPageAsync(Partition, count, cursor.StoreToken, ct); }
            catch (InvalidContinuationTokenException) { throw LedgerCursor.Invalid(); }
            entries.AddRange(hot.Where(e => e.Sequence < below));
            if (entries.Count > 0) below = entries.Min(e => e.Sequence);
            if (more is not null) return (entries, new LedgerCursor(true, below, more));
        }
        if (Archive is null) return (entries, null);
        var room = count - entries.Count;
        var older = await Archive.ReadBelowAsync(Partition, below, room + 1, ct); // one more says whether a page follows
        entries.AddRange(older.Take(room));
        return (entries, older.Count > room ? new LedgerCursor(false, entries[^1].Sequence, null) : null);
    }

    /// <summary>
    /// The cursor at a store position: one from the hot ledger's newest entry (no store token) is moved onto that entry,
    /// its document (a pack is named by its last entry, here the newest) pending and the store's position after it, so
    /// that no later read from it starts at the newest again (a bucket's ledger grows between pages). Others as they are.
    /// </summary>
    public async Task<LedgerCursor> PositionAsync(LedgerCursor cursor, CancellationToken ct)
    {
        if (!cursor.Hot || cursor.StoreToken is not null) return cursor;
        var (entries, token) = await Partitions.LedgerPageAsync(Partition, 1, null, ct);
        if (entries is not [var newest]) return cursor; // no hot entry: the archive is read by sequence
        var below = Math.Min(cursor.Below, newest.Sequence + 1);
        var after = LedgerPosition.Parse(token);
        var at = new LedgerPosition(after.StoreToken, below, after.Density, [newest.Sequence, .. after.Pending.Where(p => p < newest.Sequence)]);
        return new LedgerCursor(true, below, at.ToToken());
    }
}

/// <summary>
/// Where a ledger read goes on: in the hot store (its token, null: from the newest, and the oldest sequence returned so
/// far) or in the archive below a sequence. Opaque to clients; a token it cannot parse is a validation error.
/// </summary>
internal sealed record LedgerCursor(bool Hot, long Below, string? StoreToken)
{
    public static readonly LedgerCursor Newest = new(true, long.MaxValue, null);

    public string ToToken() => Hot
        ? $"h.{Below.ToString(System.Globalization.CultureInfo.InvariantCulture)}.{StoreToken}"
        : $"a.{Below.ToString(System.Globalization.CultureInfo.InvariantCulture)}";

    public static LedgerCursor Parse(string? token)
    {
        if (token is null) return Newest;
        var parts = token.Split('.', 3);
        if (parts.Length >= 2 && long.TryParse(parts[1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var below) && below > 0)
        {
            // As issued, the store position is at or above the cursor (a merged escrow page only lowers the cursor's): one
            // below it would skip the entries between, or end the listing at once.
            if (parts[0] == "h" && parts.Length == 3 && (parts[2].Length == 0 || PositionBelow(parts[2]) >= below))
                return new(true, below, parts[2].Length > 0 ? parts[2] : null);
            if (parts[0] == "a" && parts.Length == 2) return new(false, below, null);
        }
        throw Invalid();
    }

    public static ValidationException Invalid() => new("continuationToken", "is not a token this service issued");

    private static long PositionBelow(string storeToken)
    {
        try { return LedgerPosition.Parse(storeToken).Below; }
        catch (InvalidContinuationTokenException) { throw Invalid(); }
    }
}
