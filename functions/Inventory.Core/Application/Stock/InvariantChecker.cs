using Inventory.Domain;
using Inventory.Storage;

namespace Inventory.Application.Stock;

public sealed record InvariantReport(string ProductId, long LedgerEntries, IReadOnlyList<string> Violations, IReadOnlyList<string> Shortages)
{
    public bool Holds => Violations.Count == 0;
}

/// <summary>
/// Proves a product's books balance: each location's on-hand and reserved equal the sums of its ledger, reserved
/// equals what active reservations still hold there, the ledger's sequence is gapless up to the head, and nothing is
/// negative. Reserved above on-hand is reported as a shortage (only a forced adjustment can cause it), not as corruption.
/// Reads the partition's whole ledger: an operator's tool, not a request path.
/// </summary>
public sealed class InvariantChecker(ProductPartitions partitions)
{
    public async Task<InvariantReport> CheckAsync(string productId, CancellationToken ct = default)
    {
        var stock = (await partitions.LoadAsync(productId, new StockRead([], [], AllReservations: true), ct)
            ?? throw new ProductNotFoundException(productId)).Stock;
        var entries = await ReadLedgerAsync(productId, ct);
        var violations = new List<string>();
        var shortages = new List<string>();

        var byLocation = entries.GroupBy(e => e.LocationId).ToDictionary(g => g.Key, g => (OnHand: g.Sum(e => e.OnHandDelta), Reserved: g.Sum(e => e.ReservedDelta)));
        var held = stock.LoadedReservations().Where(r => r.Status == ReservationStatus.Active).SelectMany(r => r.Allocations)
            .GroupBy(a => a.LocationId).ToDictionary(g => g.Key, g => g.Sum(a => a.Remaining));
        foreach (var b in stock.Balances)
        {
            var (onHand, reserved) = byLocation.GetValueOrDefault(b.LocationId);
            if (b.QuantityOnHand != onHand) violations.Add($"{b.LocationId}: on-hand {b.QuantityOnHand} but ledger sums to {onHand}");
            if (b.QuantityReserved != reserved) violations.Add($"{b.LocationId}: reserved {b.QuantityReserved} but ledger sums to {reserved}");
            var activeHeld = held.GetValueOrDefault(b.LocationId);
            if (b.QuantityReserved != activeHeld) violations.Add($"{b.LocationId}: reserved {b.QuantityReserved} but active reservations hold {activeHeld}");
            if (b.QuantityOnHand < 0 || b.QuantityReserved < 0) violations.Add($"{b.LocationId}: negative balance");
            if (b.QuantityReserved > b.QuantityOnHand) shortages.Add($"{b.LocationId}: reserved {b.QuantityReserved} exceeds on-hand {b.QuantityOnHand}");
        }
        foreach (var orphan in byLocation.Keys.Concat(held.Keys).Distinct().Where(l => stock.Balance(l) is null))
            violations.Add($"{orphan}: ledger or reservations name a location with no balance");

        var sequences = entries.Select(e => e.Sequence).OrderBy(s => s).ToArray();
        if (sequences.Length != stock.LedgerSequence || sequences.Where((s, i) => s != i + 1).Any())
            violations.Add($"ledger sequence has gaps or does not reach the head ({sequences.Length} entries, head at {stock.LedgerSequence})");
        return new InvariantReport(productId, entries.Count, violations, shortages);
    }

    private async Task<List<LedgerEntry>> ReadLedgerAsync(string productId, CancellationToken ct)
    {
        var entries = new List<LedgerEntry>();
        string? token = null;
        do
        {
            var page = await partitions.Store.QueryAsync(Collection.Products, productId, DocumentIds.LedgerPrefix, 1000, token, ct);
            entries.AddRange(page.Documents.Select(d => DocumentJson.Read<LedgerEntry>(d.Body)));
            token = page.ContinuationToken;
        } while (token is not null);
        return entries;
    }
}
