namespace Inventory.Domain;

/// <summary>
/// The loaded state of one product's partition and the changes decided on it. Every operation here is a pure decision
/// over that state: it changes the in-memory copy and appends ledger entries; the application layer commits them as one
/// transaction conditioned on what was read. Several operations may be applied to one instance before one commit.
/// </summary>
public sealed partial class ProductStock
{
    private readonly Dictionary<string, StockBalance> balances;
    private readonly Dictionary<string, ProductReservation?> reservations;
    private readonly Dictionary<string, OperationRecord?> operations;
    private readonly Dictionary<string, AppliedChange?> changes;
    private readonly HashSet<string> changedBalances = [];
    private readonly HashSet<string> changedReservations = [];
    private readonly List<OperationRecord> newOperations = [];
    private readonly List<AppliedChange> newChanges = [];
    private readonly List<LedgerEntry> newEntries = [];
    private readonly SortedSet<int> escrowBuckets;
    private int changeCount, sealedChanges, sealedEntries;
    private (string Reference, string Type, DateTimeOffset? At) lastChange = ("", "", null);

    public ProductStock(Product product, long ledgerSequence, IEnumerable<StockBalance> balances,
        IEnumerable<KeyValuePair<string, ProductReservation?>>? reservations = null,
        IEnumerable<KeyValuePair<string, OperationRecord?>>? operations = null, DemandHistory? demand = null,
        IEnumerable<KeyValuePair<string, AppliedChange?>>? changes = null, IEnumerable<int>? escrowBuckets = null)
    {
        this.escrowBuckets = [.. escrowBuckets ?? []];
        Product = product;
        LedgerSequence = ledgerSequence;
        Demand = demand ?? new DemandHistory();
        this.balances = balances.ToDictionary(b => b.LocationId, StringComparer.Ordinal);
        this.reservations = new(reservations ?? [], StringComparer.Ordinal);
        this.operations = new(operations ?? [], StringComparer.Ordinal);
        this.changes = new(changes ?? [], StringComparer.Ordinal);
    }

    public Product Product { get; }
    public string ProductId => Product.ProductId;
    /// <summary>The product as its clients name it: an escrow bucket's partition (<c>P~1</c>) is product <c>P</c> to them.</summary>
    public string PublicId => EscrowBucket.Of(ProductId)?.ProductId ?? ProductId;
    public long LedgerSequence { get; private set; }
    /// <summary>Units shipped per day: every SHIP adds to it in the same commit.</summary>
    public DemandHistory Demand { get; private set; }
    public IReadOnlyCollection<StockBalance> Balances => balances.Values;
    public IReadOnlyCollection<string> ChangedBalances => changedBalances;
    public IReadOnlyCollection<string> ChangedReservations => changedReservations;
    public IReadOnlyList<OperationRecord> NewOperations => newOperations;
    public IReadOnlyList<AppliedChange> NewChanges => newChanges;
    public IReadOnlyList<LedgerEntry> NewEntries => newEntries;
    /// <summary>
    /// What the commit of these changes records in the ledger: its new entries, and, when its last decision changed a
    /// reservation or a balance without an entry (a rejection, a close, a fence, a retype), one <see cref="TxnType.Mark"/>
    /// that moves nothing. Every commit that changes the product then takes the next sequence: the ledger document of
    /// that sequence, created must-not-exist, is what two commits decided on one state collide on.
    /// </summary>
    public IReadOnlyList<LedgerEntry> CommitEntries => UnmarkedChanges ? [.. newEntries, Mark()] : newEntries;
    /// <summary>The sequence the product is at once the commit of these changes lands.</summary>
    public long CommitSequence => UnmarkedChanges ? LedgerSequence + 1 : LedgerSequence;

    /// <summary>
    /// Ends one decision of several on this instance (a coalesced batch): one that changed something without an entry
    /// records its mark now, at its place in the sequence, so a batch's decisions take the sequences they would take
    /// committed one by one.
    /// </summary>
    public void Seal()
    {
        if (UnmarkedChanges)
        {
            newEntries.Add(Mark());
            LedgerSequence++;
        }
        sealedChanges = changeCount;
        sealedEntries = newEntries.Count;
    }

    /// <summary>Whether a reservation or a balance changed since the last <see cref="Seal"/> with no entry since.</summary>
    private bool UnmarkedChanges => changeCount > sealedChanges && newEntries.Count == sealedEntries;

    /// <summary>
    /// The escrow buckets this product was ever granted to (<see cref="EscrowBucket"/>), from its head: where its free units,
    /// and reservations of its orders, may also be. Kept when a bucket empties (its orders' records stay there).
    /// </summary>
    public IReadOnlyCollection<int> EscrowBuckets => escrowBuckets;
    public bool HasChanges => changedBalances.Count > 0 || changedReservations.Count > 0 || newOperations.Count > 0 || newChanges.Count > 0;

    public long OnHand => balances.Values.Sum(b => b.QuantityOnHand);
    public long Reserved => balances.Values.Sum(b => b.QuantityReserved);

    public StockBalance? Balance(string locationId) => balances.GetValueOrDefault(locationId);

    public ProductReservation? Reservation(string orderId) =>
        reservations.TryGetValue(orderId, out var r) ? r : throw new InvalidOperationException($"Reservation '{orderId}' was not loaded.");

    public OperationRecord? Operation(string key) =>
        operations.TryGetValue(key, out var o) ? o : throw new InvalidOperationException($"Operation '{key}' was not loaded.");

    public static string OperationKey(OperationKind kind, string reference) => $"{kind.ToString().ToLowerInvariant()}|{reference}";

    /// <summary>The key of a fulfilment or release applied to an order's reservation ('|' never occurs in an order id).</summary>
    public static string ChangeKey(string orderId, string reference) => $"{orderId}|{reference}";

    public AppliedChange? Change(string key) =>
        changes.TryGetValue(key, out var c) ? c : throw new InvalidOperationException($"Change '{key}' was not loaded.");

    public IEnumerable<ProductReservation> LoadedReservations() => reservations.Values.OfType<ProductReservation>();

    private void SetReservation(ProductReservation reservation)
    {
        reservations[reservation.OrderId] = reservation;
        changedReservations.Add(reservation.OrderId);
        Changed(reservation.OrderId, "order", reservation.UpdatedAt > reservation.CreatedAt ? reservation.UpdatedAt : reservation.CreatedAt);
    }

    /// <summary>Counts a change, and names and dates the mark of a decision that makes no entry (<see cref="CommitEntries"/>).</summary>
    private void Changed(string reference, string referenceType, DateTimeOffset? at)
    {
        changeCount++;
        lastChange = (reference, referenceType, at ?? lastChange.At);
    }


    private void AddChange(AppliedChange change)
    {
        changes[ChangeKey(change.OrderId, change.Reference)] = change;
        newChanges.Add(change);
    }

    private void AddOperation(OperationRecord record)
    {
        operations[OperationKey(record.Kind, record.Reference)] = record;
        newOperations.Add(record);
    }

    /// <summary>The mark of the changes since the last <see cref="Seal"/>, named by the last of them and dated by it (a retype, which has no time, by the last change before it).</summary>
    private LedgerEntry Mark() => new()
    {
        TxnId = $"mark:{lastChange.Reference}",
        Sequence = LedgerSequence + 1,
        ProductId = ProductId,
        LocationId = "",
        TxnType = TxnType.Mark,
        Quantity = 0,
        ReferenceId = lastChange.Reference,
        ReferenceType = lastChange.Type,
        PerformedBy = "system",
        CreatedAt = lastChange.At ?? DateTimeOffset.UnixEpoch,
    };

    /// <summary>Replaces a balance and appends the one ledger entry that explains the change.</summary>
    private LedgerEntry Move(StockBalance after, TxnType type, string txnId, long quantity, string referenceId,
        string referenceType, string? reason, string performedBy, DateTimeOffset now)
    {
        var before = balances.GetValueOrDefault(after.LocationId);
        if (after.QuantityOnHand < 0 || after.QuantityReserved < 0)
            throw new StockInvariantException($"Balance at '{after.LocationId}' would become negative: a domain rule was skipped.");
        balances[after.LocationId] = after;
        changedBalances.Add(after.LocationId);
        Changed(after.LocationId, "location", now);
        var entry = new LedgerEntry
        {
            TxnId = txnId,
            Sequence = ++LedgerSequence,
            ProductId = ProductId,
            LocationId = after.LocationId,
            TxnType = type,
            Quantity = quantity,
            OnHandDelta = after.QuantityOnHand - (before?.QuantityOnHand ?? 0),
            ReservedDelta = after.QuantityReserved - (before?.QuantityReserved ?? 0),
            OnHandAfter = after.QuantityOnHand,
            ReservedAfter = after.QuantityReserved,
            ReferenceId = referenceId,
            ReferenceType = referenceType,
            ReasonCode = reason,
            PerformedBy = performedBy,
            CreatedAt = now,
        };
        newEntries.Add(entry);
        if (type == TxnType.Ship) Demand.RecordShipment(now, -quantity);
        return entry;
    }
}
