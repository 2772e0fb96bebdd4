using System.Buffers.Text;
using System.Globalization;
using System.Text;
using Inventory.Application.Escrow;
using Inventory.Domain;

namespace Inventory.Application.Stock;

/// <summary>
/// The ledger of a product in escrow: its own and each of its buckets' (a bucket's entries name the bucket's partition
/// and count its own sequence and quantities), merged newest first by time. Each page takes from each ledger only
/// entries after those it listed, so the token holds a cursor per ledger: paged at any size, no entry comes twice or is
/// lost. The buckets are those the head listed at the first page (entries of one made later are newer than the listing).
/// </summary>
internal sealed class EscrowLedger(ProductPartitions partitions, ArchivedLedger? archive, string productId)
{
    private const string Version = "m2";
    /// <summary>The version before, whose cursors were each base64url: still read (a client may hold one).</summary>
    private const string Base64Version = "m1";
    private const string Own = "p";

    /// <summary>Whether a token is one of these (else it is a single ledger's: <see cref="LedgerCursor"/>).</summary>
    public static bool IsItsToken(string? token) =>
        token is not null && (token == Version || token.StartsWith(Version + "|", StringComparison.Ordinal)
            || token == Base64Version || token.StartsWith(Base64Version + "|", StringComparison.Ordinal));

    public async Task<LedgerPage> PageAsync(IReadOnlyList<int> buckets, int pageSize, string? token, CancellationToken ct)
    {
        var ledgers = token is null
            ? [new Ledger(Own, new LedgerSource(partitions, productId, archive), LedgerCursor.Newest),
               .. buckets.Order().Select(b => new Ledger(Name(b), Bucket(b), LedgerCursor.Newest))]
            : Parse(token);
        var entries = new List<LedgerEntry>(Math.Min(pageSize, 1000));
        while (entries.Count < pageSize)
        {
            var wanted = pageSize - entries.Count;
            var chunk = Math.Min(wanted, Math.Max(20, pageSize / ledgers.Length)); // what a ledger is asked for at a time
            await Task.WhenAll(ledgers.Where(l => l.Pending.Count == 0 && l.Next is not null).Select(l => l.FillAsync(chunk, ct)));
            Ledger? newest = null;
            foreach (var l in ledgers) // ties: the product's first, then by bucket
                if (l.Pending.Count > 0 && (newest is null || l.Pending.Peek().CreatedAt > newest.Pending.Peek().CreatedAt)) newest = l;
            if (newest is null) break;
            entries.Add(newest.Take());
        }
        var resumes = await Task.WhenAll(ledgers.Select(l => l.ResumeAsync(ct)));
        return new LedgerPage(entries, resumes.All(r => r is null) ? null : Format(ledgers, resumes));
    }

    /// <summary>A bucket's ledger, archived as a product's is (<see cref="LedgerArchival"/>).</summary>
    private LedgerSource Bucket(int index) => new(partitions, new EscrowBucket(productId, index).Partition, archive);

    private static string Name(int bucket) => bucket.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// <c>m2|p={cursor}|{bucket}={cursor}…</c> (empty: that ledger is listed to its end). A cursor is a few numbers (its
    /// store position is by sequence, <see cref="LedgerPosition"/>), so it goes as it is; one holding a character of the
    /// format (a store's own token, from a page begun before) goes base64url after a '*'. 65 ledgers stay well within a
    /// request line (<c>EscrowLedgerTokenTests</c>); base64url of long store tokens once made 15 KB.
    /// </summary>
    private static string Format(Ledger[] ledgers, LedgerCursor?[] resumes) =>
        string.Join('|', [Version, .. ledgers.Select((l, i) => $"{l.Name}={(resumes[i] is { } c ? Plain(c.ToToken()) : "")}")]);

    private static string Plain(string cursor) =>
        cursor.AsSpan().IndexOfAnyExcept(PlainCharacters) < 0 && cursor[0] != '*' ? cursor : "*" + Base64Url.EncodeToString(Encoding.UTF8.GetBytes(cursor));

    private static readonly System.Buffers.SearchValues<char> PlainCharacters =
        System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.~,@");

    private Ledger[] Parse(string token)
    {
        var ledgers = new List<Ledger>();
        var base64 = token == Base64Version || token.StartsWith(Base64Version + "|", StringComparison.Ordinal);
        foreach (var part in token.Split('|').Skip(1))
        {
            var (name, cursor) = part.Split('=', 2) is [var n, var c] ? (n, c) : throw LedgerCursor.Invalid();
            LedgerSource source = name == Own ? new(partitions, productId, archive)
                : int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var b) && b is >= 1 and <= EscrowOptions.MaxBuckets && Name(b) == name ? Bucket(b)
                : throw LedgerCursor.Invalid();
            if (ledgers.Any(l => l.Name == name)) throw LedgerCursor.Invalid();
            var text = cursor.Length == 0 ? null : base64 ? Decode(cursor) : cursor[0] == '*' ? Decode(cursor[1..]) : cursor;
            ledgers.Add(new Ledger(name, source, text is null ? null : LedgerCursor.Parse(text)));
        }
        return ledgers.Any(l => l.Name == Own) ? [.. ledgers] : throw LedgerCursor.Invalid();
    }

    private static string Decode(string cursor)
    {
        try { return Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor)); }
        catch (FormatException) { throw LedgerCursor.Invalid(); }
    }

    /// <summary>One ledger of the merge: the entries read and not listed yet, the cursor they were read from, and the one after them.</summary>
    private sealed class Ledger(string name, LedgerSource source, LedgerCursor? next)
    {
        public string Name => name;
        public Queue<LedgerEntry> Pending { get; private set; } = new();
        public LedgerCursor? Next { get; private set; } = next;
        private LedgerCursor? from;
        private long? taken;
        private int takenCount;

        /// <summary>
        /// Where the next page goes on: past every entry read, or at the first one not listed. Each read starts at a store
        /// position (<see cref="LedgerSource.PositionAsync"/>), so the next page neither scans down from a busy ledger's
        /// newest entry nor lists what was written since the first page. After some were listed, those are read again
        /// (in this request, from that position) for the position after them; should that read differ, the next page
        /// reads again from the same position, below the last one listed.
        /// </summary>
        public async Task<LedgerCursor?> ResumeAsync(CancellationToken ct)
        {
            if (Pending.Count == 0) return Next;
            var at = from!;
            var unplaced = at.Hot && at.StoreToken is null; // no hot entry was there to stand on: pinned below what was read
            if (taken is not { } last) return unplaced ? at with { Below = Math.Min(at.Below, Pending.Peek().Sequence + 1) } : at;
            if (!at.Hot || unplaced) return at with { Below = last }; // the archive is read by sequence
            var (again, after) = await source.ReadAsync(at, takenCount, ct);
            return again.Count == takenCount && again[^1].Sequence == last && after is not null ? after : at with { Below = last };
        }

        /// <summary>Reads entries on from <see cref="Next"/> (a store may answer a page empty, with a token: it reads on).</summary>
        public async Task FillAsync(int count, CancellationToken ct)
        {
            while (Next is { } next)
            {
                var cursor = await source.PositionAsync(next, ct);
                var (entries, after) = await source.ReadAsync(cursor, count, ct);
                (from, Next, taken, takenCount) = (cursor, after, null, 0);
                if (entries.Count == 0) continue;
                Pending = new Queue<LedgerEntry>(entries);
                return;
            }
        }

        public LedgerEntry Take()
        {
            var entry = Pending.Dequeue();
            (taken, takenCount) = (entry.Sequence, takenCount + 1);
            return entry;
        }
    }
}
