using System.Globalization;

namespace Inventory.Domain;

/// <summary>
/// Units shipped per day (UTC), kept in the product's stock head and updated in the same transaction as each SHIP, so
/// the nightly scan reads one document per product instead of its ledger. Only the last <see cref="KeptDays"/> days are
/// kept: enough for the demand window (<see cref="KeptFor"/>), and no more, since every stock commit rewrites the head.
/// </summary>
public sealed class DemandHistory
{
    /// <summary>Days kept for a demand window up to this long (the default window is 28).</summary>
    public const int DefaultKeptDays = 90;
    /// <summary>The longest demand window a history can serve (<c>Replenishment:DemandWindowDays</c> accepts up to this).</summary>
    public const int MaxKeptDays = 365;
    private readonly SortedDictionary<string, long> shippedByDay;

    public DemandHistory(IReadOnlyDictionary<string, long>? shippedByDay = null, int keptDays = DefaultKeptDays)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(keptDays, 1);
        this.shippedByDay = new(shippedByDay?.ToDictionary() ?? [], StringComparer.Ordinal);
        KeptDays = keptDays;
    }

    public IReadOnlyDictionary<string, long> ShippedByDay => shippedByDay;

    /// <summary>How many days before the day of a shipment stay when it is recorded.</summary>
    public int KeptDays { get; }

    /// <summary>The days to keep for a demand window of <paramref name="windowDays"/>: every day of it, and never fewer than <see cref="DefaultKeptDays"/>.</summary>
    public static int KeptFor(int windowDays) => Math.Clamp(windowDays, DefaultKeptDays, MaxKeptDays);

    public static string Key(DateOnly day) => day.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    public void RecordShipment(DateTimeOffset at, long units)
    {
        var day = DateOnly.FromDateTime(at.UtcDateTime);
        shippedByDay[Key(day)] = shippedByDay.GetValueOrDefault(Key(day)) + units;
        var oldest = Key(day.AddDays(-KeptDays));
        foreach (var stale in shippedByDay.Keys.Where(k => string.CompareOrdinal(k, oldest) < 0).ToArray()) shippedByDay.Remove(stale);
    }

    /// <summary>
    /// Average units shipped per day over the <paramref name="windowDays"/> days before <paramref name="today"/> (today
    /// excluded: it is not over). A window longer than any history keeps is averaged over the <see cref="MaxKeptDays"/>
    /// days kept: dividing by days never kept would count them as days without shipments.
    /// </summary>
    public double AverageDaily(DateOnly today, int windowDays)
    {
        var (shipped, days) = Shipped(today, windowDays);
        return days <= 0 ? 0 : (double)shipped / days;
    }

    /// <summary>The units shipped over the window <see cref="AverageDaily"/> averages, and its length in days.</summary>
    public (long Shipped, int Days) Shipped(DateOnly today, int windowDays)
    {
        var days = Math.Min(windowDays, MaxKeptDays);
        if (days <= 0) return (0, 0);
        var from = Key(today.AddDays(-days));
        var to = Key(today);
        return (shippedByDay.Where(d => string.CompareOrdinal(d.Key, from) >= 0 && string.CompareOrdinal(d.Key, to) < 0).Sum(d => d.Value), days);
    }
}
