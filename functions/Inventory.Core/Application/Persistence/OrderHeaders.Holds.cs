using System.Globalization;
using Inventory.Storage;

namespace Inventory.Application.Orders;

/// <summary>A hold index entry as read, with what removing it needs.</summary>
public sealed record StoredHold(HoldIndexEntry Entry, string Day, string ETag);

/// <summary>
/// The hold index: collection Holds, one partition per expiry day (<c>yyyyMMdd</c>), entries <c>{expiry ticks}|{orderId}</c>.
/// Each day with entries also holds the marker <see cref="HoldDayMarker"/>, written in the same transaction as every entry,
/// so the sweep lists the open days whatever their age and closes a day only when it is empty.
/// </summary>
public sealed partial class OrderHeaders
{
    public const string HoldDayMarker = "day";
    public const string HoldType = "hold";
    public const string HoldDayType = "holdDay";

    private sealed record HoldDay(string Day);

    /// <summary>Indexes a hold (idempotent: the entry and its day's marker are upserted together).</summary>
    public Task WriteHoldAsync(HoldIndexEntry hold, CancellationToken ct) =>
        store.CommitAsync(Collection.Holds, hold.Partition,
        [
            new DocumentWrite.Upsert(hold.Id, DocumentJson.Write(hold)) { Type = HoldType },
            new DocumentWrite.Upsert(HoldDayMarker, DocumentJson.Write(new HoldDay(hold.Partition))) { Type = HoldDayType },
        ], ct);

    /// <summary>Days up to <paramref name="upTo"/> that may hold entries: every marked day, and the <paramref name="lookBackDays"/> before it (entries older than markers).</summary>
    public async Task<IReadOnlyList<string>> HoldDaysAsync(DateTimeOffset upTo, int lookBackDays, CancellationToken ct)
    {
        var last = upTo.UtcDateTime.Date;
        var days = new SortedSet<string>(StringComparer.Ordinal);
        for (var d = last.AddDays(-lookBackDays); d <= last; d = d.AddDays(1)) days.Add(Day(d));
        var lastDay = Day(last);
        string? token = null;
        do
        {
            var (page, next) = await store.ListPartitionsAsync(Collection.Holds, HoldDayMarker, 100, token, ct);
            token = next;
            foreach (var day in page) if (string.CompareOrdinal(day, lastDay) <= 0) days.Add(day);
        } while (token is not null);
        return days.ToArray();
    }

    /// <summary>A day's entries in expiry order, page by page.</summary>
    public async IAsyncEnumerable<StoredHold> HoldsOfDayAsync(string day, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        string? token = null;
        do
        {
            var page = await store.QueryAsync(Collection.Holds, day, "", 100, token, ct);
            token = page.ContinuationToken;
            foreach (var doc in page.Documents.Where(d => d.Id != HoldDayMarker))
                yield return new StoredHold(DocumentJson.Read<HoldIndexEntry>(doc.Body), day, doc.ETag);
        } while (token is not null);
    }

    /// <summary>Removes a handled entry; one rewritten since it was read (a retried reservation) stays for the next sweep.</summary>
    public Task RemoveHoldAsync(StoredHold hold, CancellationToken ct) =>
        OptimisticConcurrency.TryCommitAsync(store, Collection.Holds, hold.Day, [new DocumentWrite.Delete(hold.Entry.Id, hold.ETag)], ct);

    /// <summary>
    /// Removes a day's marker when the day has no entry left. The marker is read before the entries: an entry written
    /// since then rewrote the marker too, so the conditioned delete fails and the day stays open.
    /// </summary>
    public async Task CloseHoldDayIfEmptyAsync(string day, CancellationToken ct)
    {
        var marker = await store.ReadAsync(Collection.Holds, day, [HoldDayMarker], [], ct);
        if (marker.Count == 0) return;
        await foreach (var _ in HoldsOfDayAsync(day, ct)) return;
        await OptimisticConcurrency.TryCommitAsync(store, Collection.Holds, day, [new DocumentWrite.Delete(HoldDayMarker, marker[0].ETag)], ct);
    }

    private static string Day(DateTime date) => date.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
}
