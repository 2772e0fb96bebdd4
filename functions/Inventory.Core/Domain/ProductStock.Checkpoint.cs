namespace Inventory.Domain;

public sealed partial class ProductStock
{
    /// <summary>
    /// The whole in-memory state at one moment (every mutable field of this class: a field added later belongs here too,
    /// and the coalescing equivalence property fails when one is missed). Several requests decided on one instance (a coalesced batch) each start
    /// from a checkpoint, so a request that is refused half-way leaves no trace for the requests after it.
    /// </summary>
    public sealed class Checkpoint
    {
        internal Checkpoint(ProductStock s)
        {
            LedgerSequence = s.LedgerSequence;
            ShippedByDay = new Dictionary<string, long>(s.Demand.ShippedByDay, StringComparer.Ordinal);
            Balances = new(s.balances, StringComparer.Ordinal);
            Reservations = new(s.reservations, StringComparer.Ordinal);
            Operations = new(s.operations, StringComparer.Ordinal);
            Changes = new(s.changes, StringComparer.Ordinal);
            ChangedBalances = [.. s.changedBalances];
            ChangedReservations = [.. s.changedReservations];
            NewOperations = s.newOperations.Count;
            NewChanges = s.newChanges.Count;
            NewEntries = s.newEntries.Count;
            EscrowBuckets = [.. s.escrowBuckets];
            Counts = (s.changeCount, s.sealedChanges, s.sealedEntries);
            LastChange = s.lastChange;
        }

        internal long LedgerSequence { get; }
        internal IReadOnlyDictionary<string, long> ShippedByDay { get; }
        internal Dictionary<string, StockBalance> Balances { get; }
        internal Dictionary<string, ProductReservation?> Reservations { get; }
        internal Dictionary<string, OperationRecord?> Operations { get; }
        internal Dictionary<string, AppliedChange?> Changes { get; }
        internal string[] ChangedBalances { get; }
        internal string[] ChangedReservations { get; }
        internal int NewOperations { get; }
        internal int NewChanges { get; }
        internal int NewEntries { get; }
        internal int[] EscrowBuckets { get; }
        internal (int Changes, int SealedChanges, int SealedEntries) Counts { get; }
        internal (string Reference, string Type, DateTimeOffset? At) LastChange { get; }
    }

    public Checkpoint Save() => new(this);

    /// <summary>Puts back everything as it was at <paramref name="checkpoint"/>, taken on this instance.</summary>
    public void Restore(Checkpoint checkpoint)
    {
        LedgerSequence = checkpoint.LedgerSequence;
        Demand = new DemandHistory(checkpoint.ShippedByDay, Demand.KeptDays);
        Refill(balances, checkpoint.Balances);
        Refill(reservations, checkpoint.Reservations);
        Refill(operations, checkpoint.Operations);
        Refill(changes, checkpoint.Changes);
        changedBalances.Clear();
        changedBalances.UnionWith(checkpoint.ChangedBalances);
        changedReservations.Clear();
        changedReservations.UnionWith(checkpoint.ChangedReservations);
        newOperations.RemoveRange(checkpoint.NewOperations, newOperations.Count - checkpoint.NewOperations);
        newChanges.RemoveRange(checkpoint.NewChanges, newChanges.Count - checkpoint.NewChanges);
        newEntries.RemoveRange(checkpoint.NewEntries, newEntries.Count - checkpoint.NewEntries);
        escrowBuckets.Clear();
        escrowBuckets.UnionWith(checkpoint.EscrowBuckets);
        (changeCount, sealedChanges, sealedEntries) = checkpoint.Counts;
        lastChange = checkpoint.LastChange;
    }

    private static void Refill<T>(Dictionary<string, T> target, Dictionary<string, T> source)
    {
        target.Clear();
        foreach (var (key, value) in source) target[key] = value;
    }
}
