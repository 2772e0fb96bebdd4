namespace Inventory.Domain;

/// <summary>One location's balances as a checkpoint recorded them.</summary>
public sealed record CheckpointBalance(string LocationId, long QuantityOnHand, long QuantityReserved);

/// <summary>
/// A product's balances after ledger entry <see cref="Sequence"/>, written in the same transaction as that entry, so an
/// audit can start here instead of at the first entry ever written, and entries up to it can leave the hot store.
/// </summary>
public sealed record LedgerCheckpoint(string ProductId, long Sequence, IReadOnlyList<CheckpointBalance> Balances, DateTimeOffset CreatedAt)
{
    /// <summary>The state before the first entry: no balances at sequence 0.</summary>
    public static LedgerCheckpoint Origin(string productId) => new(productId, 0, [], DateTimeOffset.MinValue);

    /// <summary>
    /// The checkpoint the changes decided on <paramref name="stock"/> must carry, or null: one when its new entries
    /// reach or pass a multiple of <paramref name="every"/>, recording the balances after the last of them.
    /// </summary>
    public static LedgerCheckpoint? After(ProductStock stock, int every)
    {
        var entries = stock.CommitEntries;
        if (entries.Count == 0) return null;
        var before = stock.CommitSequence - entries.Count;
        if (before / every == stock.CommitSequence / every) return null;
        return new(stock.ProductId, stock.CommitSequence,
            stock.Balances.OrderBy(b => b.LocationId, StringComparer.Ordinal)
                .Select(b => new CheckpointBalance(b.LocationId, b.QuantityOnHand, b.QuantityReserved)).ToArray(),
            entries[^1].CreatedAt);
    }
}
