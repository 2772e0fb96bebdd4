using Inventory.Domain;
using Inventory.Storage;

namespace Inventory.Application;

/// <summary>
/// What to read of a product's partition besides the product, its head and its balances. An order's reservation is read
/// by id wherever it is stored (open, closed, or in its pack: <see cref="Packs"/>); <see cref="AllReservations"/> reads
/// every open one (under <c>res|</c>, with the closed ones written there before closed reservations had their own prefix,
/// and in every pack), never the closed ones.
/// <see cref="NewUntil"/>: orders whose header the request created (<see cref="Orders.OrderClaim"/>), so that no reservation of
/// theirs can exist before the time given; a read that ends sooner does not look for one.
/// <see cref="Packs"/>: the pack name of each order that has one (<see cref="Orders.OrderRecord.Pack"/>): where its
/// reservation is read, and where a new one is written.
/// </summary>
public sealed record StockRead(IReadOnlyCollection<string> OrderIds, IReadOnlyCollection<string> OperationKeys, bool AllReservations = false,
    IReadOnlyCollection<string>? ChangeKeys = null, IReadOnlyDictionary<string, DateTimeOffset>? NewUntil = null,
    IReadOnlyDictionary<string, string>? Packs = null)
{
    /// <summary>
    /// What the batch's earlier attempts created (<see cref="ProductPartitions.Landmarks"/>), read even for orders not looked
    /// for (<see cref="NewUntil"/>): such an attempt may have landed unacknowledged. Its pack parts and reservation
    /// documents give its orders' reservations back; its ledger documents name the orders it reserved, which are then
    /// looked for: another request may have changed such a reservation since (a release moves it out of its part, a part
    /// emptied is deleted), and reserving the order again would hold its units twice.
    /// </summary>
    public IReadOnlyCollection<string> Attempted { get; init; } = [];

    public static StockRead BalancesOnly { get; } = new([], []);
    public static StockRead ForOrder(string orderId, string? pack = null) => new([orderId], [], Packs: PackOf(orderId, pack));
    /// <summary>An order this request claimed: its reservation is not looked for by a read that ends before <paramref name="until"/>.</summary>
    public static StockRead ForNewOrder(string orderId, DateTimeOffset until, string? pack = null) =>
        new([orderId], [], NewUntil: new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal) { [orderId] = until }, Packs: PackOf(orderId, pack));
    /// <summary>The same read, looking for every order's reservation.</summary>
    public StockRead LookingForAll => NewUntil is null ? this : this with { NewUntil = null };
    /// <summary>An order's reservation and the record of one change (fulfilment or release) applied to it, if it was.</summary>
    public static StockRead ForChange(string orderId, string reference, string? pack = null) =>
        new([orderId], [], ChangeKeys: [ProductStock.ChangeKey(orderId, reference)], Packs: PackOf(orderId, pack));
    public static StockRead ForOperation(OperationKind kind, string reference) => new([], [ProductStock.OperationKey(kind, reference)]);

    private static Dictionary<string, string>? PackOf(string orderId, string? pack) =>
        pack is null ? null : new(StringComparer.Ordinal) { [orderId] = pack };
}

/// <summary>A product partition as read: the domain state plus the ETag of every document it came from.</summary>
public sealed class LoadedStock(ProductStock stock, IReadOnlyDictionary<string, string> etags)
{
    public ProductStock Stock { get; } = stock;
    public IReadOnlyDictionary<string, string> ETags { get; } = etags;
    /// <summary>Which commit the state was read after (<see cref="ProductPartitions.StateMarkAsync"/>), to tell whether one landed since.</summary>
    public string StateMark { get; init; } = "";
    /// <summary>The ledger checkpoint interval its commit follows (<see cref="LedgerOptions.CheckpointEvery"/>).</summary>
    public int CheckpointEvery { get; init; } = LedgerOptions.DefaultCheckpointEvery;
    /// <summary>Whether the head held the balances when read (else they were <c>bal|</c> documents, see <see cref="StockLayout"/>).</summary>
    internal bool BalancesInHead { get; init; }
    /// <summary>The locations that held a balance when read: each has its <c>bal|</c> document (index entry or balance).</summary>
    internal IReadOnlySet<string> IndexedLocations { get; init; } = new HashSet<string>(StringComparer.Ordinal);
    /// <summary>The store's largest document, which bounds the commit's ledger packs (<see cref="LedgerPack"/>).</summary>
    internal int MaxDocumentBytes { get; init; } = 64 * 1024;
    /// <summary>The pack name of each order read that has one: where its new reservation goes (<see cref="ReservationPack"/>).</summary>
    internal IReadOnlyDictionary<string, string> Packs { get => packs; init => packs = value; }
    private IReadOnlyDictionary<string, string> packs = new Dictionary<string, string>(StringComparer.Ordinal);
    /// <summary>The pack parts read, whole (a part is rewritten with every reservation it holds), by id.</summary>
    internal IReadOnlyDictionary<string, ReservationPack> Parts { get; init; } = new Dictionary<string, ReservationPack>(StringComparer.Ordinal);

    /// <summary>The same state, its new reservations going to the packs <paramref name="read"/> names.</summary>
    internal LoadedStock WithPacks(StockRead read)
    {
        var copy = (LoadedStock)MemberwiseClone(); // every other property as read, whatever is added to them later
        copy.packs = read.Packs ?? new Dictionary<string, string>(StringComparer.Ordinal);
        return copy;
    }
}

/// <summary>
/// The product partition module: the one place that knows a product partition's documents (<see cref="ProductPartitionIds"/>):
/// the product, its head, balances, reservations, operation records, changes, ledger entries and checkpoints, and supply.
/// Every read of named documents goes through <see cref="ReadAsync"/>; the stock commit's writes are <see cref="Changes"/>.
/// </summary>
/// <paramref name="clock"/>: the application's, which dates order claims (<see cref="StockRead.NewUntil"/>).
public sealed partial class ProductPartitions(IDocumentStore store, LedgerOptions? ledger = null, TimeProvider? clock = null)
{
    private readonly TimeProvider time = clock ?? TimeProvider.System;

    /// <summary>The application's clock (dates what a decision without a time of its own records: a retype's mark).</summary>
    internal TimeProvider Clock => time;

    /// <summary>What one commit of the store underneath may hold (batch sizes are planned against it).</summary>
    public StoreLimits Limits => store.Limits;
    public LedgerOptions Ledger { get; } = ledger ?? new LedgerOptions();
    /// <summary>The days of shipments a stock commit keeps in the head (<see cref="DemandHistory.KeptFor"/> the demand window).</summary>
    public int DemandKeptDays { get; init; } = DemandHistory.DefaultKeptDays;

    /// <summary>
    /// The one reader of a product partition: the named documents and those under the prefixes, in one round trip. Asked
    /// for the head, it reads the product's state where it is (<see cref="PartitionDocuments.Head"/>): its newest ledger
    /// document first, then the rest with the next sequence's ledger document named first, which every commit after that
    /// state creates: absent before and after the rest (<see cref="IDocumentStore.ReadAsync"/>), nothing landed between.
    /// Found, the state it carries is taken and the rest read again; past a few attempts the last read stands, as a store's
    /// own guarded read does (a decision on it cannot land: its commit creates that same document).
    /// </summary>
    private async Task<PartitionDocuments> ReadAsync(string productId, IReadOnlyCollection<string> ids, IReadOnlyCollection<string> prefixes,
        CancellationToken ct)
    {
        if (!ids.Contains(ProductPartitionIds.Head)) return new(productId, await store.ReadAsync(Collection.Products, productId, ids, prefixes, ct));
        var newest = await NewestLedgerAsync(productId, ct);
        long? known = null; // the state's sequence, when the head is ahead of the newest ledger document (its ledger archived)
        for (var attempt = 1; ; attempt++)
        {
            var next = ProductPartitionIds.Ledger((known ?? PartitionDocuments.SequenceOf(newest)) + 1);
            var carried = newest is not null && LedgerPack.StateOf(newest.Body) is not null;
            var stored = await store.ReadAsync(Collection.Products, productId,
                [next, .. ids.Where(i => !carried || i != ProductPartitionIds.Head)], prefixes, ct);
            var landed = stored.FirstOrDefault(d => d.Id == next);
            var docs = new PartitionDocuments(productId, stored.Where(d => d.Id != next).ToArray(), newest);
            if (attempt == MaxStateReads) return Remembered(docs);
            if (landed is null)
            {
                if (docs.NextLedgerId() == next) return Remembered(docs);
                known = docs.Head.LedgerSequence;
                continue;
            }
            newest = LedgerPack.StateOf(landed.Body) is not null ? landed : await NewestLedgerAsync(productId, ct);
            known = null;
        }
    }

    /// <summary>Reads of a product's state that each found a newer commit before the last read stands.</summary>
    private const int MaxStateReads = 4;

    /// <summary>
    /// The product's newest ledger document (ids count down: the first of the range), or null when it has none: where its
    /// state is once a commit carried it there. From the one this instance last saw (<see cref="newestSeen"/>): the next
    /// sequence's absent makes it the newest (a commit after it creates the next first), so only that one is read when
    /// its body is remembered (<see cref="Seen.Fresh"/>), else it and the next as lone point reads at once (archival
    /// deletes oldest first and never the newest). Else a query of the range for one document (a store may answer a page
    /// empty with a token: the read goes on).
    /// </summary>
    private async Task<StoredDocument?> NewestLedgerAsync(string productId, CancellationToken ct)
    {
        if (newestSeen.TryGetValue(productId, out var seen))
        {
            var h = seen.Sequence;
            var known = seen.Fresh(time.GetUtcNow()) ? seen.Document : null;
            // A commit of this instance in flight: where it lands too, for a read made while its answer travels.
            var flying = inFlight.TryGetValue(productId, out var landing) && landing > h;
            long[] sequences = [.. (known is null ? [h, h + 1] : new[] { h + 1 }).Concat(flying ? [landing, landing + 1] : []).Distinct()];
            var reads = await Task.WhenAll(sequences.Select(q => store.ReadAsync(Collection.Products, productId, [ProductPartitionIds.Ledger(q)], [], ct)));
            var found = sequences.Zip(reads).ToDictionary(r => r.First, r => r.Second.Count > 0 ? r.Second[0] : null);
            if (flying && found[landing] is { } landed && found[landing + 1] is null && LedgerPack.StateOf(landed.Body) is not null) return landed;
            // The next there: another instance committed since (a step at a time would lose to a hot product's chain).
            if (found[h + 1] is null && (known ?? found[h]) is { } newest) return newest;
        }
        string? token = null;
        do
        {
            var page = await store.QueryAsync(Collection.Products, productId, ProductPartitionIds.LedgerPrefix, 1, token, ct);
            if (page.Documents.Count > 0) return page.Documents[0];
            token = page.ContinuationToken;
        } while (token is not null);
        return null;
    }

    /// <summary>
    /// Each product's newest ledger document this instance last saw carrying the state (a hint, bounded; only ever
    /// forward): where <see cref="NewestLedgerAsync"/> looks first, and a product remembered has its head left out of a
    /// read of its state (its state is in its ledger, the head never written again).
    /// </summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Seen> newestSeen = new(StringComparer.Ordinal);

    /// <summary>
    /// The sequence of a product's newest ledger document as this instance saw it, with its body when known (its own
    /// commit's, or read), and when (the application's clock).
    /// </summary>
    private sealed record Seen(long Sequence, StoredDocument? Document, DateTimeOffset At)
    {
        /// <summary>
        /// Whether the body may stand for the stored document without reading it. Ledger documents are created once and
        /// only archival deletes them, oldest first, never within a day of the month their checkpoint closes
        /// (<see cref="LedgerOptions.ArchiveAfterDays"/> is at least 1). A document after this one was created after it was
        /// seen, so within <see cref="MaxSeenAge"/> the next sequence's absence cannot be its archival.
        /// </summary>
        public bool Fresh(DateTimeOffset now) => Document is not null && now - At >= TimeSpan.Zero && now - At < MaxSeenAge;
    }

    /// <summary>How long a remembered body stands for its document: far below a day (<see cref="Seen.Fresh"/>).</summary>
    internal static readonly TimeSpan MaxSeenAge = TimeSpan.FromMinutes(10);

    /// <summary>The sequence each product's commit in flight here is at once it lands (its last ledger document's).</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, long> inFlight = new(StringComparer.Ordinal);

    /// <summary>Forgets what this instance saw of the product's state: its next read of it goes to the store whole.</summary>
    internal void Forget(string productId) => newestSeen.TryRemove(productId, out _);

    private PartitionDocuments Remembered(PartitionDocuments docs)
    {
        if (!docs.StateInLedger) newestSeen.TryRemove(docs.ProductId, out _);
        else Saw(docs.ProductId, docs.Head.LedgerSequence, docs.Newest);
        return docs;
    }

    private void Saw(string productId, long sequence, StoredDocument? document)
    {
        if (newestSeen.Count >= MaxRemembered) newestSeen.Clear();
        var seen = new Seen(sequence, document, time.GetUtcNow());
        newestSeen.AddOrUpdate(productId, seen, (_, before) =>
            before.Sequence > sequence || (before.Sequence == sequence && document is null && before.Document is not null) ? before : seen);
    }

    /// <summary>
    /// <see cref="ReadAsync"/> with the head and the product's balances: from the head, or, when it does not hold them (a
    /// product written before it did, or with too many locations: <see cref="StockLayout"/>), from the <c>bal|</c> documents.
    /// Those are read in a second round trip the first time, with the head again: a commit that landed between the two
    /// would pair its balances with the older reservations, so then the whole read is made again, in one round trip. A
    /// product found so is remembered (a hint, bounded), and its later reads take the <c>bal|</c> range in the one round
    /// trip. The next commit that moves stock migrates the first kind.
    /// </summary>
    /// <paramref name="eachAlone"/>: when only the head and the product are asked for, read them as lone point reads
    /// (<see cref="ReadEachAsync"/>).
    private async Task<PartitionDocuments> ReadStockAsync(string productId, IReadOnlyCollection<string> ids, List<string> prefixes,
        CancellationToken ct, bool eachAlone = false)
    {
        var withHead = ids.Contains(ProductPartitionIds.Head) ? ids : [.. ids, ProductPartitionIds.Head];
        var separate = balancesApart.ContainsKey(productId);
        var docs = eachAlone && !separate && prefixes.Count == 0 && withHead.All(HeadAndProduct.Contains)
            ? await ReadEachAsync(productId, withHead, ct)
            : await ReadAsync(productId, withHead, separate ? [.. prefixes, ProductPartitionIds.BalancePrefix] : prefixes, ct);
        if (!docs.Has(ProductPartitionIds.Product) || docs.BalancesInHead)
        {
            if (separate) balancesApart.TryRemove(productId, out _);
            return docs;
        }
        if (separate) return docs;
        if (balancesApart.Count >= MaxRemembered) balancesApart.Clear();
        balancesApart.TryAdd(productId, 0);
        var next = docs.NextLedgerId();
        var balances = await store.ReadAsync(Collection.Products, productId, [next], [ProductPartitionIds.BalancePrefix], ct);
        return balances.All(d => d.Id != next)
            ? docs.With(balances)
            : await ReadAsync(productId, withHead, [.. prefixes, ProductPartitionIds.BalancePrefix], ct); // guarded like any other
    }

    /// <summary>
    /// The head with the product: nothing to tear, the head alone being what a stock commit changes. So each is a lone
    /// point read, both at once: one round trip on Table Storage where a guarded read (<see cref="IDocumentStore.ReadAsync"/>:
    /// head, the rest, head again) takes three, which a hot product's commit chain waits for at every commit (a batch of
    /// new orders reads just these, <see cref="StockRead.NewUntil"/>); on Cosmos DB point reads for a query. The head stands
    /// for the product's state: its newest ledger document (<see cref="NewestLedgerAsync"/>), and the head too unless the
    /// product's state was found in its ledger before (the head is never written once it is there, so the two cannot tear).
    /// </summary>
    private async Task<PartitionDocuments> ReadEachAsync(string productId, IReadOnlyCollection<string> ids, CancellationToken ct)
    {
        var newest = ids.Contains(ProductPartitionIds.Head) ? NewestLedgerAsync(productId, ct) : Task.FromResult<StoredDocument?>(null);
        var alone = ids.Where(id => id != ProductPartitionIds.Head || !newestSeen.ContainsKey(productId));
        var reads = await Task.WhenAll(alone.Select(id => store.ReadAsync(Collection.Products, productId, [id], [], ct)));
        var docs = new PartitionDocuments(productId, reads.SelectMany(r => r).ToArray(), await newest);
        if (docs.StateInLedger || !ids.Contains(ProductPartitionIds.Head) || docs.Has(ProductPartitionIds.Head)) return Remembered(docs);
        return Remembered(docs.With(await store.ReadAsync(Collection.Products, productId, [ProductPartitionIds.Head], [], ct)));
    }

    private static readonly HashSet<string> HeadAndProduct = new(StringComparer.Ordinal) { ProductPartitionIds.Head, ProductPartitionIds.Product };

    /// <summary>Products last read with their balances in <c>bal|</c> documents: only which prefixes a read asks for.</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> balancesApart = new(StringComparer.Ordinal);
    private const int MaxRemembered = 10_000;

    public async Task<LoadedStock?> LoadAsync(string productId, StockRead read, CancellationToken ct = default)
    {
        // The head stands for the product's state (ReadAsync: read before the rest, with the next commit's ledger document
        // named first), so a store that reads the ids one by one cannot hand out a state torn by a commit.
        var ids = new List<string> { ProductPartitionIds.Head, ProductPartitionIds.Product };
        var prefixes = new List<string>();
        var unread = NotLookedFor(read, time.GetUtcNow());
        if (read.AllReservations) prefixes.AddRange([ProductPartitionIds.ReservationPrefix, ProductPartitionIds.PackPrefix]);
        else
        {
            var lookedFor = read.OrderIds.Where(o => !unread.Contains(o)).ToArray();
            ids.AddRange(lookedFor.SelectMany(ReservationIds));
            prefixes.AddRange(PackPrefixes(lookedFor, read.Packs));
        }
        ids.AddRange(read.OperationKeys.Select(ProductPartitionIds.Operation));
        ids.AddRange((read.ChangeKeys ?? []).Select(ProductPartitionIds.Change));

        // What an earlier attempt created, beside (not in) the guarded read: one found is a commit of this batch that landed,
        // earlier than this read, so it cannot be missed; the decisions of its orders then change nothing.
        var attempted = read.Attempted.Count > 0 ? store.ReadAsync(Collection.Products, productId, read.Attempted, [], ct) : null;
        var docs = await ReadStockAsync(productId, ids, prefixes, ct, eachAlone: true);
        var reservedBefore = new HashSet<string>(StringComparer.Ordinal);
        if (attempted is not null)
        {
            var found = await attempted;
            docs = docs.With(found.Where(d => !d.Id.StartsWith(ProductPartitionIds.LedgerPrefix, StringComparison.Ordinal)).ToArray());
            // A ledger document's id may be a competing commit's too: only its entries tell which orders it reserved.
            reservedBefore.UnionWith(found.Where(d => d.Id.StartsWith(ProductPartitionIds.LedgerPrefix, StringComparison.Ordinal))
                .SelectMany(d => LedgerPack.Read(d.Body)).Where(e => e.TxnType == TxnType.Reserve).Select(e => e.ReferenceId));
        }
        // The fence of an order's claim: only a read that ended before the claim's exclusive time may take its reservation
        // as absent; a later one looks (another request may have reserved the order since, see OrderClaim), and so does
        // one for an order an earlier attempt of the batch reserved.
        var look = unread.Count > 0 && time.GetUtcNow() >= unread.Min(o => read.NewUntil![o]) ? unread : unread.Where(reservedBefore.Contains).ToHashSet();
        if (look.Count > 0)
            docs = docs.With(await store.ReadAsync(Collection.Products, productId, look.SelectMany(ReservationIds).ToArray(),
                PackPrefixes(look, read.Packs), ct));
        if (docs.Product is not { } product) return null;
        var reservations = read.AllReservations
            ? docs.Reservations.Select(r => KeyValuePair.Create(r.OrderId, (ProductReservation?)r))
            : read.OrderIds.Select(o => KeyValuePair.Create(o, docs.Reservation(o)));
        var operations = read.OperationKeys.Select(k => KeyValuePair.Create(k, docs.Operation(k)));
        var changes = (read.ChangeKeys ?? []).Select(k => KeyValuePair.Create(k, docs.Change(k)));

        var stock = new ProductStock(product, docs.Head.LedgerSequence, docs.Balances, reservations, operations,
            new DemandHistory(docs.Head.ShippedByDay, DemandKeptDays), changes, docs.Head.Buckets);
        return new LoadedStock(stock, docs.ETags)
        {
            CheckpointEvery = Ledger.CheckpointEvery, BalancesInHead = docs.BalancesInHead, MaxDocumentBytes = store.Limits.MaxDocumentBytes, StateMark = docs.StateMark,
            IndexedLocations = stock.Balances.Select(b => b.LocationId).ToHashSet(StringComparer.Ordinal),
            Packs = read.Packs ?? new Dictionary<string, string>(StringComparer.Ordinal), Parts = docs.Parts,
        };
    }

    /// <summary>The prefix of each pack name the orders have (once each).</summary>
    private static string[] PackPrefixes(IEnumerable<string> orderIds, IReadOnlyDictionary<string, string>? packs) =>
        packs is null ? [] : orderIds.Select(o => packs.GetValueOrDefault(o)).OfType<string>().Distinct(StringComparer.Ordinal)
            .Select(ProductPartitionIds.PackPrefixOf).ToArray();

    /// <summary>The orders of <paramref name="read"/> whose reservation is not looked for: claimed by the request, the claim still exclusive.</summary>
    private static HashSet<string> NotLookedFor(StockRead read, DateTimeOffset now) =>
        read.AllReservations || read.NewUntil is not { } until ? []
            : read.OrderIds.Where(o => until.TryGetValue(o, out var end) && now < end).ToHashSet(StringComparer.Ordinal);

    /// <summary>
    /// What replenishment and the stock view read of a product: product, head, supply and balances, never its ledger. A
    /// product in escrow counts its buckets' free units as available (<see cref="WithBuckets"/>).
    /// </summary>
    internal async Task<ProductSnapshot?> SnapshotAsync(string productId, CancellationToken ct)
    {
        var (docs, balances) = await WithBucketsAsync(productId,
            () => ReadStockAsync(productId, [ProductPartitionIds.Product, ProductPartitionIds.Head, ProductPartitionIds.Supply], [], ct), ct);
        return docs.Product is { } product
            ? new ProductSnapshot(product, balances, docs.Supply.Supply, new DemandHistory(docs.Head.ShippedByDay))
            : null;
    }

    /// <summary>
    /// The product as <paramref name="read"/> reads it, its balances with what its escrow buckets have not reserved counted
    /// as available: the product holds a bucket's units as reserved (its holder's reservation), the bucket has them
    /// available. Each listed bucket is read once, after the product; then the product's head again: a grant whose two
    /// halves (the product's, then the bucket's) both landed between the reads would be counted on both sides, so a read
    /// whose head changed meanwhile is made again. A move in flight then shows a moment too few available, never too many.
    /// </summary>
    private async Task<(PartitionDocuments Docs, StockBalance[] Balances)> WithBucketsAsync(string productId, Func<Task<PartitionDocuments>> read,
        CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var docs = await read();
            var balances = docs.Balances.ToArray();
            if (docs.Product is null || docs.Head.Buckets is not { Count: > 0 } buckets) return (docs, balances);
            var free = (await Task.WhenAll(buckets.Select(b => StockAsync(new EscrowBucket(productId, b).Partition, ct, withBuckets: false))))
                .SelectMany(b => b?.Balances ?? []).GroupBy(b => b.LocationId).ToDictionary(g => g.Key, g => g.Sum(b => Math.Max(0, b.QuantityAvailable)));
            if (await StateMarkAsync(productId, ct) == docs.StateMark)
                return (docs, balances.Select(b => b with { QuantityReserved = Math.Max(0, b.QuantityReserved - free.GetValueOrDefault(b.LocationId)) }).ToArray());
            if (attempt == MaxTornBucketReads) throw new ConcurrencyExhaustedException(productId, attempt);
        }
    }

    /// <summary>
    /// Which commit the product's state is after, as stored now: its newest ledger document's id (every commit that changes
    /// the product creates one), to tell whether a commit landed since a read (<see cref="LoadedStock.StateMark"/>).
    /// </summary>
    internal async Task<string> StateMarkAsync(string productId, CancellationToken ct) => (await NewestLedgerAsync(productId, ct))?.Id ?? "";

    /// <summary>Reads of a product and its buckets torn by a move before one gives up (each a grant or return landing in between).</summary>
    private const int MaxTornBucketReads = 5;

    /// <summary>The escrow buckets the product's head lists (<see cref="StockHead.Buckets"/>); none for a product never in escrow.</summary>
    internal async Task<IReadOnlyList<int>> BucketsAsync(string productId, CancellationToken ct) =>
        (await ReadEachAsync(productId, [ProductPartitionIds.Head], ct)).Head.Buckets ?? [];

    /// <summary>
    /// Every escrow bucket of the product that may hold records, in index order: those its head lists and those marked
    /// (made, or being made, before any grant reached them: an order refused there is recorded there).
    /// </summary>
    internal async Task<IReadOnlyList<int>> BucketsWithRecordsAsync(string productId, CancellationToken ct) =>
        (await BucketListsAsync(productId, ct)).WithRecords;

    /// <summary>The buckets the head lists, and those with the marked ones (<see cref="BucketsWithRecordsAsync"/>), from one read.</summary>
    internal async Task<(IReadOnlyList<int> Listed, IReadOnlyList<int> WithRecords)> BucketListsAsync(string productId, CancellationToken ct)
    {
        var docs = await ReadAsync(productId, [ProductPartitionIds.Head], [ProductPartitionIds.BucketPrefix], ct);
        var listed = docs.Head.Buckets ?? [];
        return (listed, listed.Union(docs.MarkedBuckets).Order().ToArray());
    }

    /// <summary>
    /// The product and its balances (a list's item), or null; with <paramref name="withBuckets"/>, what its escrow buckets
    /// have not reserved counted as available (<see cref="WithBuckets"/>), else the partition's own balances.
    /// </summary>
    public async Task<(Product Product, IReadOnlyList<StockBalance> Balances)?> StockAsync(string productId, CancellationToken ct, bool withBuckets = true)
    {
        Task<PartitionDocuments> Read() => ReadStockAsync(productId, [ProductPartitionIds.Product, ProductPartitionIds.Head], [], ct);
        var (docs, balances) = withBuckets ? await WithBucketsAsync(productId, Read, ct) : (await Read() is var d ? (d, d.Balances.ToArray()) : default);
        return docs.Product is { } product ? (product, balances) : null;
    }

    /// <summary>One order's reservation of the product, or null; <paramref name="pack"/>: the order's pack name, if it has one.</summary>
    public async Task<ProductReservation?> ReservationAsync(string productId, string orderId, string? pack, CancellationToken ct) =>
        (await ReadAsync(productId, ReservationIds(orderId), pack is null ? [] : [ProductPartitionIds.PackPrefixOf(pack)], ct)).Reservation(orderId);

    /// <summary>
    /// Both places an order's reservation may be (point reads in the one read), open first: a reservation only ever moves
    /// from open to closed, so a store that reads them one after the other (IDocumentStore.ReadAsync) never misses one moving.
    /// </summary>
    private static string[] ReservationIds(string orderId) => [ProductPartitionIds.Reservation(orderId), ProductPartitionIds.ClosedReservation(orderId)];

    /// <summary>The operation records of one kind whose reference starts with <paramref name="referencePrefix"/> (escrow moves' halves).</summary>
    internal async Task<IReadOnlyList<OperationRecord>> OperationsAsync(string productId, OperationKind kind, string referencePrefix, CancellationToken ct)
    {
        var prefix = ProductPartitionIds.Operation(kind, referencePrefix);
        var docs = await store.ReadAsync(Collection.Products, productId, [], [prefix], ct);
        return docs.Where(d => d.Id.StartsWith(prefix, StringComparison.Ordinal)).Select(d => DocumentJson.Read<OperationRecord>(d.Body)).ToArray();
    }

    public async Task<Product?> ProductAsync(string productId, CancellationToken ct) =>
        (await ReadAsync(productId, [ProductPartitionIds.Product], [], ct)).Product;

    /// <summary>
    /// The product as stored (its ETag, its revision), and whether it has escrow buckets (marked or listed): the product
    /// first, then its head and marks at once (two round trips). A product's first mark writes the product too
    /// (<see cref="MarkBucketAsync"/>), so a save that finds no bucket read the product before that write and its write
    /// fails; read at once, the marks' read could run before the mark and the product's after it (a torn read), and such a
    /// save wrote unenlisted. A bucket marked after the marks' read is found again before the save's copies.
    /// </summary>
    internal async Task<(StoredProduct Current, bool InEscrow)> ProductForSaveAsync(string productId, CancellationToken ct)
    {
        var current = await StoredProductAsync(productId, ct);
        var reads = await Task.WhenAll(ReadEachAsync(productId, [ProductPartitionIds.Head], ct),
            ReadAsync(productId, [], [ProductPartitionIds.BucketPrefix], ct));
        return (current, reads[1].MarkedBuckets.Any() || reads[0].Head.Buckets is { Count: > 0 });
    }

    /// <summary>
    /// Whether the product exists, and the escrow buckets its head lists (whose ledgers are the product's too): two lone
    /// point reads at once (<see cref="ReadEachAsync"/>: nothing of the two to tear), one round trip.
    /// </summary>
    public async Task<(bool Exists, IReadOnlyList<int> Buckets)> LedgerSourcesAsync(string productId, CancellationToken ct)
    {
        var docs = await ReadEachAsync(productId, [ProductPartitionIds.Product, ProductPartitionIds.Head], ct);
        return (docs.Has(ProductPartitionIds.Product), docs.Head.Buckets ?? []);
    }

    /// <summary>Whether the product exists, from the product document alone (no JSON read).</summary>
    public async Task<bool> ExistsAsync(string productId, CancellationToken ct) =>
        (await ReadAsync(productId, [ProductPartitionIds.Product], [], ct)).Has(ProductPartitionIds.Product);

    /// <summary>
    /// Saves the product over <paramref name="current"/>, as it was read (<see cref="StoredProductAsync"/>): replaced under
    /// its ETag one revision above it, or, when there was none, created at revision 1 with its head (sequence 0). A
    /// conflict is the caller's to retry.
    /// </summary>
    internal Task SaveProductAsync(Product product, StoredProduct current, CancellationToken ct) =>
        current.ETag is null ? CreateProductAsync(product, 1, ct)
            : CommitTypedAsync(product.ProductId,
                [new DocumentWrite.Replace(ProductPartitionIds.Product, ProductRevisions.Write(product, current.Revision + 1), current.ETag)], ct);

    /// <summary>Creates the product's document (must not exist) at <paramref name="revision"/>, with its head (sequence 0).</summary>
    private Task CreateProductAsync(Product product, long revision, CancellationToken ct) =>
        CommitTypedAsync(product.ProductId,
            [new DocumentWrite.Create(ProductPartitionIds.Product, ProductRevisions.Write(product, revision)),
             new DocumentWrite.Create(ProductPartitionIds.Head, DocumentJson.Write(new StockHead(product.ProductId, 0, Balances: [])))], ct);

    /// <summary>The product's supply document and its ETag (a fresh supply and null when it has none yet).</summary>
    public async Task<(ProductSupply Supply, string? ETag)> SupplyAsync(string productId, CancellationToken ct) =>
        (await ReadAsync(productId, [ProductPartitionIds.Supply], [], ct)).Supply;

    /// <summary>Creates the supply document (no ETag) or replaces it under the ETag read.</summary>
    public Task SaveSupplyAsync(string productId, ProductSupply supply, string? etag, CancellationToken ct)
    {
        var body = DocumentJson.Write(supply);
        return CommitTypedAsync(productId,
            [etag is null ? new DocumentWrite.Create(ProductPartitionIds.Supply, body) : new DocumentWrite.Replace(ProductPartitionIds.Supply, body, etag)], ct);
    }

    /// <summary>
    /// The one transaction that records every decision made on <paramref name="loaded"/>: replaces conditioned on the ETags
    /// read, creates (must not exist) for new documents, operation records, the commit's ledger entries (one
    /// <see cref="LedgerPack"/>, or a few: <see cref="LedgerDocuments"/>), the last carrying the product's state, and the
    /// ledger checkpoint when the entries reach one (<see cref="LedgerCheckpoint.After"/>, in parts past that size:
    /// <see cref="CheckpointParts"/>). Every commit that changes stock or a reservation creates the ledger document of the
    /// sequence after the state it read, so two commits that both read the same state can never both succeed.
    /// </summary>
    public static IReadOnlyList<DocumentWrite> Changes(LoadedStock loaded) =>
        ChangedDocuments(loaded).Select(c => ProductPartitionIds.Typed(c.Document is Unconditioned u
            ? new DocumentWrite.Upsert(c.Id, DocumentJson.Write(u.Document))
            : c.Document is Removed ? new DocumentWrite.Delete(c.Id, loaded.ETags[c.Id])
            : c.AlwaysNew || !loaded.ETags.TryGetValue(c.Id, out var etag)
            ? new DocumentWrite.Create(c.Id, Body(c.Document))
            : new DocumentWrite.Replace(c.Id, Body(c.Document), etag))).ToArray();

    /// <summary>A changed document's stored body: a ledger or reservation pack as it is stored (its values shared).</summary>
    private static string Body(object document) => DocumentJson.Write(document switch
    {
        LedgerPack pack => pack.Document,
        ReservationPack part => part.Document,
        _ => document,
    });

    /// <summary>In <see cref="ChangedDocuments"/>: the document read under this id is deleted (under its ETag).</summary>
    internal sealed record Removed
    {
        public static Removed Document { get; } = new();
    }

    /// <summary>
    /// A <c>bal|</c> document written whatever is stored (its ETag was not read: the head held the balances). Safe because
    /// the head is replaced under its ETag in the same commit, so the commit still applies to the state it was decided on.
    /// </summary>
    private sealed record Unconditioned(object Document);

    /// <summary>
    /// The documents the decisions on <paramref name="loaded"/> change, in commit order: the one list both
    /// <see cref="Changes"/> and the coalescing's size estimate (<see cref="CommitSize"/>) are made from.
    /// <c>AlwaysNew</c>: created whatever was read (operation records, ledger packs, checkpoints and their parts).
    /// </summary>
    internal static IEnumerable<(string Id, object Document, bool AlwaysNew)> ChangedDocuments(LoadedStock loaded)
    {
        var stock = loaded.Stock;
        var inHead = StockLayout.InHead(stock.Balances);
        foreach (var (id, document) in BalanceDocuments(loaded, inHead))
            yield return (id, document, false);
        foreach (var change in ReservationDocuments(loaded))
            yield return change;
        foreach (var record in stock.NewOperations)
            yield return (ProductPartitionIds.Operation(record.Kind, record.Reference), record, true);
        foreach (var change in stock.NewChanges)
            yield return (ProductPartitionIds.Change(ProductStock.ChangeKey(change.OrderId, change.Reference)), change, true);
        long packedTo = 0;
        // A reservation written without stock moving (a rejection) takes a sequence too (a mark: ProductStock.CommitEntries),
        // so that it races with any other decision for the order: open and closed reservations have different ids.
        foreach (var pack in LedgerDocuments(loaded))
        {
            yield return (ProductPartitionIds.Ledger(pack.Last), pack, true);
            packedTo = pack.Last;
        }
        if (LedgerCheckpoint.After(stock, loaded.CheckpointEvery) is { } checkpoint)
        {
            // Archival deletes whole packs up to a checkpoint: one ending elsewhere would take unarchived entries with it.
            if (checkpoint.Sequence != packedTo)
                throw new InvalidOperationException($"Checkpoint {checkpoint.Sequence} is not at the commit's last ledger pack ({packedTo}).");
            // Cut into parts past the store's document size: each one write more, counted by CommitSize like any other.
            foreach (var (id, document) in CheckpointParts.Of(checkpoint, loaded.MaxDocumentBytes))
                yield return (id, document, true);
        }
    }

    /// <summary>
    /// The reservation writes of a commit. Closing moves a reservation from <c>res|</c> or its pack to <c>rsc|</c> (its
    /// old place deleted or rewritten under the ETag read, in the same commit). A pack part read is rewritten with its
    /// changed reservations (deleted when none stays open); new open reservations of orders with a pack name go into new
    /// parts, one per name (<see cref="ReservationPack.Of"/>); any other open one is <c>res|{orderId}</c>.
    /// </summary>
    private static IEnumerable<(string Id, object Document, bool AlwaysNew)> ReservationDocuments(LoadedStock loaded)
    {
        var stock = loaded.Stock;
        var packedIn = loaded.Parts.SelectMany(p => p.Value.Reservations.Select(r => (r.OrderId, Part: p.Key)))
            .ToDictionary(x => x.OrderId, x => x.Part, StringComparer.Ordinal);
        var rewritten = new SortedSet<string>(StringComparer.Ordinal);
        var newlyPacked = new SortedDictionary<string, List<ProductReservation>>(StringComparer.Ordinal);
        foreach (var orderId in stock.ChangedReservations)
        {
            var reservation = stock.Reservation(orderId)!;
            var open = reservation.Status == ReservationStatus.Active;
            if (packedIn.TryGetValue(orderId, out var part))
            {
                rewritten.Add(part);
                if (!open) yield return (ProductPartitionIds.ClosedReservation(orderId), reservation, false);
                continue;
            }
            var id = ProductPartitionIds.ReservationOf(reservation);
            if (open && !loaded.ETags.ContainsKey(id) && loaded.Packs.TryGetValue(orderId, out var pack))
            {
                (newlyPacked.TryGetValue(pack, out var list) ? list : newlyPacked[pack] = []).Add(reservation);
                continue;
            }
            foreach (var elsewhere in ReservationIds(orderId).Where(i => i != id && loaded.ETags.ContainsKey(i)))
                yield return (elsewhere, Removed.Document, false);
            yield return (id, reservation, false);
        }
        foreach (var part in rewritten)
        {
            var read = loaded.Parts[part];
            var stays = read.Reservations.Select(r => stock.ChangedReservations.Contains(r.OrderId) ? stock.Reservation(r.OrderId)! : r)
                .Where(r => r.Status == ReservationStatus.Active).ToArray();
            yield return (part, stays.Length == 0 ? Removed.Document : read with { Reservations = stays }, false);
        }
        foreach (var (pack, reservations) in newlyPacked)
            foreach (var part in ReservationPack.Of(pack, reservations, loaded.MaxDocumentBytes))
                yield return (ReservationPack.IdOf(pack, part.Reservations), part, true);
    }

    /// <summary>
    /// The <c>bal|</c> writes of a commit. Head holds the balances: an index entry for each location new to the product (the
    /// balance documents of a product read before the head held them stay, as its index entries). Balances of their own: the
    /// changed ones as before, or, when this commit moves them out of the head, every one (their index entries' bodies are stale).
    /// </summary>
    private static IEnumerable<(string Id, object Document)> BalanceDocuments(LoadedStock loaded, bool inHead)
    {
        var stock = loaded.Stock;
        if (inHead)
        {
            foreach (var locationId in stock.ChangedBalances.Where(l => !loaded.IndexedLocations.Contains(l)))
                yield return (ProductPartitionIds.Balance(locationId), new Unconditioned(new BalanceMarker(locationId, stock.Balance(locationId)!.WarehouseId)));
        }
        else if (loaded.BalancesInHead)
        {
            foreach (var balance in stock.Balances)
                yield return (ProductPartitionIds.Balance(balance.LocationId), new Unconditioned(balance));
        }
        else
        {
            foreach (var locationId in stock.ChangedBalances)
                yield return (ProductPartitionIds.Balance(locationId), stock.Balance(locationId)!);
        }
    }

    /// <summary>
    /// What the commit of <paramref name="loaded"/> creates that shows it landed, should its answer be lost
    /// (<see cref="StockRead.Attempted"/>): its new pack parts and reservation documents (named by its own orders) and its
    /// ledger documents (whose ids a competing commit decided on the same head shares).
    /// </summary>
    internal static IEnumerable<string> Landmarks(LoadedStock loaded) =>
        ReservationDocuments(loaded).Where(d => d.AlwaysNew || (d.Document is not Removed && !loaded.ETags.ContainsKey(d.Id))).Select(d => d.Id)
            .Concat(LedgerDocuments(loaded).Select(p => ProductPartitionIds.Ledger(p.Last)));

    /// <summary>
    /// The ledger documents of the commit of <paramref name="loaded"/>: its entries (<see cref="ProductStock.CommitEntries"/>),
    /// the last document carrying the product's state after it, which is where the state is read from then on (the head a
    /// product was written with is no longer written: <see cref="PartitionDocuments.Head"/>).
    /// </summary>
    private static IEnumerable<LedgerPack> LedgerDocuments(LoadedStock loaded)
    {
        var stock = loaded.Stock;
        var entries = stock.CommitEntries;
        if (entries.Count == 0) return [];
        var state = new StockHead(stock.ProductId, stock.CommitSequence,
            stock.Demand.ShippedByDay.Count > 0 ? stock.Demand.ShippedByDay : null,
            StockLayout.InHead(stock.Balances) ? stock.Balances.OrderBy(b => b.LocationId, StringComparer.Ordinal).ToArray() : null,
            stock.EscrowBuckets.Count > 0 ? stock.EscrowBuckets.ToArray() : null);
        return LedgerPack.Of(entries, loaded.MaxDocumentBytes, state);
    }

    /// <summary>Commits <see cref="Changes"/>; landed, the ledger document carrying its state is the newest this instance saw.</summary>
    public async Task CommitAsync(LoadedStock loaded, CancellationToken ct = default)
    {
        var productId = loaded.Stock.ProductId;
        long? landing = loaded.Stock.CommitEntries.Count > 0 ? loaded.Stock.CommitSequence : null;
        if (landing is { } expected) inFlight[productId] = expected;
        try
        {
            var writes = Changes(loaded);
            await store.CommitAsync(Collection.Products, productId, writes, ct);
            if (landing is { } landed)
            {
                var id = ProductPartitionIds.Ledger(landed);
                Saw(productId, landed, writes.OfType<DocumentWrite.Create>().FirstOrDefault(w => w.Id == id) is { } w ? new StoredDocument(id, w.Body, "") : null);
            }
        }
        finally
        {
            if (landing is { } sent) inFlight.TryRemove(KeyValuePair.Create(productId, sent));
        }
    }

    private Task CommitTypedAsync(string productId, IReadOnlyList<DocumentWrite> writes, CancellationToken ct) =>
        store.CommitAsync(Collection.Products, productId, writes.Select(ProductPartitionIds.Typed).ToArray(), ct);

    /// <summary>The documents of one read of a product partition, parsed on demand.</summary>
    /// <paramref name="newest"/>: the product's newest ledger document, when the read was of its state (<see cref="Head"/>).
    private sealed class PartitionDocuments(string productId, IReadOnlyList<StoredDocument> docs, StoredDocument? newest = null)
    {
        private readonly Dictionary<string, StoredDocument> byId = docs.ToDictionary(d => d.Id, StringComparer.Ordinal);
        private readonly StockHead? carried = newest is null ? null : LedgerPack.StateOf(newest.Body);
        private StockHead? head;
        private Dictionary<string, ReservationPack>? parts;

        public string ProductId => productId;
        public IReadOnlyDictionary<string, string> ETags { get; } = docs.ToDictionary(d => d.Id, d => d.ETag, StringComparer.Ordinal);
        public Product? Product => Read<Product>(ProductPartitionIds.Product);
        /// <summary>
        /// The product's state: what its newest ledger document carries, or, before any commit carried it there, its head
        /// (a product's first document with it, and where every commit of a build before this one wrote it).
        /// </summary>
        public StockHead Head => head ??= carried ?? Read<StockHead>(ProductPartitionIds.Head) ?? new StockHead(productId, 0);
        /// <summary>Whether the state read was the one the newest ledger document carries.</summary>
        public bool StateInLedger => carried is not null;
        /// <summary>Which commit the state read is after (<see cref="LoadedStock.StateMark"/>).</summary>
        public string StateMark => newest?.Id ?? "";
        /// <summary>The newest ledger document the state was read from (null: none, or the read was not of the state).</summary>
        public StoredDocument? Newest => newest;
        /// <summary>The ledger document the next commit after this state creates.</summary>
        public string NextLedgerId() => ProductPartitionIds.Ledger(Head.LedgerSequence + 1);
        /// <summary>The sequence a newest ledger document ends at (0: none).</summary>
        public static long SequenceOf(StoredDocument? newest) => newest is null ? 0 : ProductPartitionIds.LedgerSequence(newest.Id);
        public bool BalancesInHead => Head.Balances is not null;
        /// <summary>The head's balances, or (it holds none) the <c>bal|</c> documents read.</summary>
        public IEnumerable<StockBalance> Balances => Head.Balances ?? Under<StockBalance>(ProductPartitionIds.BalancePrefix);
        /// <summary>These documents and <paramref name="more"/> of the same partition.</summary>
        public PartitionDocuments With(IReadOnlyList<StoredDocument> more) => new(productId, [.. docs, .. more.Where(d => !byId.ContainsKey(d.Id))], newest);
        /// <summary>The open reservations read: under <c>res|</c> and in pack parts.</summary>
        public IEnumerable<ProductReservation> Reservations =>
            Under<ProductReservation>(ProductPartitionIds.ReservationPrefix).Concat(Parts.Values.SelectMany(p => p.Reservations));
        public ProductReservation? Reservation(string orderId) =>
            Read<ProductReservation>(ProductPartitionIds.Reservation(orderId)) ?? Read<ProductReservation>(ProductPartitionIds.ClosedReservation(orderId))
            ?? Parts.Values.SelectMany(p => p.Reservations).FirstOrDefault(r => r.OrderId == orderId);
        /// <summary>The pack parts read, by id.</summary>
        public IReadOnlyDictionary<string, ReservationPack> Parts => parts ??= docs.Where(d => d.Id.StartsWith(ProductPartitionIds.PackPrefix, StringComparison.Ordinal))
            .ToDictionary(d => d.Id, d => ReservationPack.Read(d.Body), StringComparer.Ordinal);
        public OperationRecord? Operation(string key) => Read<OperationRecord>(ProductPartitionIds.Operation(key));
        public AppliedChange? Change(string key) => Read<AppliedChange>(ProductPartitionIds.Change(key));
        public bool Has(string id) => byId.ContainsKey(id);
        public StoredDocument Stored(string id) => byId[id];
        public IEnumerable<int> MarkedBuckets => Under<BucketMark>(ProductPartitionIds.BucketPrefix).Select(m => m.Index);

        public (ProductSupply Supply, string? ETag) Supply =>
            byId.TryGetValue(ProductPartitionIds.Supply, out var d) ? (DocumentJson.Read<ProductSupply>(d.Body), d.ETag) : (new ProductSupply { ProductId = productId }, null);

        private T? Read<T>(string id) where T : class => byId.TryGetValue(id, out var d) ? DocumentJson.Read<T>(d.Body) : null;

        private IEnumerable<T> Under<T>(string prefix) =>
            docs.Where(d => d.Id.StartsWith(prefix, StringComparison.Ordinal)).Select(d => DocumentJson.Read<T>(d.Body));
    }
}
