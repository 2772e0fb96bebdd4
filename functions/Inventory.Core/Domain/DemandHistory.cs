using System.Globalization;

namespace Inventory.Domain;

/// <summary>
/// Units shipped per day (UTC), kept in the product's stock head and updated in the same transaction as each SHIP, so
/// the nightly scan reads one document per product instead of its ledger. Only the last <see cref="KeptDays"/> days are kept.
/// </summary>
public sealed class DemandHistory
{
    public const int KeptDays = 90;
    private readonly SortedDictionary<string, long> shippedByDay;

    public DemandHistory(IReadOnlyDictionary<string, long>? shippedByDay = null) =>
        this.shippedByDay = new(shippedByDay?.ToDictionary() ?? [], StringComparer.Ordinal);

    public IReadOnlyDictionary<string, long> ShippedByDay => shippedByDay;

    public static string Key(DateOnly day) => day.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    public void RecordShipment(DateTimeOffset at, long units)
    {
        var day = DateOnly.FromDateTime(at.UtcDateTime);
        shippedByDay[Key(day)] = shippedByDay.GetValueOrDefault(Key(day)) + units;
        var oldest = Key(day.AddDays(-KeptDays));
        foreach (var stale in shippedByDay.Keys.Where(k => string.CompareOrdinal(k, oldest) < 0).ToArray()) shippedByDay.Remove(stale);
    }

    /// <summary>Average units shipped per day over the <paramref name="windowDays"/> days before <paramref name="today"/> (today excluded: it is not over).</summary>
    public double AverageDaily(DateOnly today, int windowDays)
    {
        var from = Key(today.AddDays(-windowDays));
        var to = Key(today);
        var total = shippedByDay.Where(d => string.CompareOrdinal(d.Key, from) >= 0 && string.CompareOrdinal(d.Key, to) < 0).Sum(d => d.Value);
        return windowDays <= 0 ? 0 : (double)total / windowDays;
    }
}
