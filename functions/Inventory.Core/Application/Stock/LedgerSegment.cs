using Inventory.Domain;

namespace Inventory.Application.Stock;

/// <summary>
/// One stretch of a product's ledger between two known states: a checkpoint (or the empty origin) below and a checkpoint
/// or the live balances above. It holds when the entries are exactly the sequences between the two, each entry's
/// after-values follow from the state below plus the entries before it, and the last state reached is the one above.
/// </summary>
public static class LedgerSegment
{
    public static void Verify(LedgerCheckpoint lower, IReadOnlyCollection<LedgerEntry> entries, long upperSequence,
        IReadOnlyDictionary<string, (long OnHand, long Reserved)> upper, string upperName, List<string> findings)
    {
        var lowerName = lower.Sequence == 0 ? "the empty ledger" : $"checkpoint {lower.Sequence}";
        var ordered = entries.OrderBy(e => e.Sequence).ToArray();
        var expected = upperSequence - lower.Sequence;
        if (ordered.Length != expected || ordered.Where((e, i) => e.Sequence != lower.Sequence + 1 + i).Any())
            findings.Add($"ledger sequence has gaps or does not reach {upperName} between {lowerName} and {upperName} " +
                $"({ordered.Length} entries, {expected} expected)");

        var running = lower.Balances.ToDictionary(b => b.LocationId, b => (OnHand: b.QuantityOnHand, Reserved: b.QuantityReserved), StringComparer.Ordinal);
        foreach (var e in ordered)
        {
            var (onHand, reserved) = running.GetValueOrDefault(e.LocationId);
            running[e.LocationId] = (onHand + e.OnHandDelta, reserved + e.ReservedDelta);
            if (e.OnHandAfter != onHand + e.OnHandDelta || e.ReservedAfter != reserved + e.ReservedDelta)
                findings.Add($"entry {e.Sequence} at {e.LocationId}: says on-hand {e.OnHandAfter}, reserved {e.ReservedAfter} after it " +
                    $"but {lowerName} and the entries before it give {onHand + e.OnHandDelta}, {reserved + e.ReservedDelta}");
        }
        foreach (var location in running.Keys.Union(upper.Keys).Order(StringComparer.Ordinal))
        {
            var (onHand, reserved) = running.GetValueOrDefault(location);
            var (upperOnHand, upperReserved) = upper.GetValueOrDefault(location);
            if (onHand != upperOnHand) findings.Add($"{location}: on-hand {upperOnHand} at {upperName} but {lowerName} and the ledger sum to {onHand}");
            if (reserved != upperReserved) findings.Add($"{location}: reserved {upperReserved} at {upperName} but {lowerName} and the ledger sum to {reserved}");
        }
    }

    public static IReadOnlyDictionary<string, (long OnHand, long Reserved)> StateOf(LedgerCheckpoint checkpoint) =>
        checkpoint.Balances.ToDictionary(b => b.LocationId, b => (b.QuantityOnHand, b.QuantityReserved), StringComparer.Ordinal);
}
