using System.Globalization;
using Inventory.Domain;
using Inventory.Storage;

namespace Inventory.Application.Orders;

public sealed record ExpirySweepResult(int HoldsDue, int OrdersReleased, int Failed);

/// <summary>
/// Releases reservations whose hold has expired. Holds are indexed by expiry day, so the sweep reads only the days up to
/// now (a look-back of <see cref="LookBackDays"/> covers a sweep that was down for a while; holds last at most 7 days).
/// An index entry is removed only after its order was released, so a crash mid-sweep only repeats idempotent work.
/// </summary>
public sealed class ExpireHolds(StockCommitter committer, OrderHeaders headers, IDocumentStore store, TimeProvider clock)
{
    public const int LookBackDays = 14;

    public async Task<ExpirySweepResult> ExecuteAsync(CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        int due = 0, released = 0, failed = 0;
        for (var day = now.UtcDateTime.Date.AddDays(-LookBackDays); day <= now.UtcDateTime.Date; day = day.AddDays(1))
        {
            var partition = day.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
            string? token = null;
            do
            {
                var page = await store.QueryAsync(Collection.Holds, partition, "", 100, token, ct);
                token = page.ContinuationToken;
                foreach (var doc in page.Documents)
                {
                    var hold = DocumentJson.Read<HoldIndexEntry>(doc.Body);
                    if (hold.ExpiresAt > now) { token = null; break; }
                    due++;
                    try
                    {
                        if (await ReleaseAsync(hold.OrderId, now, ct)) released++;
                        await store.CommitAsync(Collection.Holds, partition, [new DocumentWrite.Delete(doc.Id, doc.ETag)], ct);
                    }
                    catch (Exception e) when (e is DomainException or CommitConflictException) { failed++; }
                }
            } while (token is not null);
        }
        return new ExpirySweepResult(due, released, failed);
    }

    private async Task<bool> ReleaseAsync(string orderId, DateTimeOffset now, CancellationToken ct)
    {
        var order = await headers.FindAsync(orderId, ct);
        if (order is null) return false;
        var any = false;
        foreach (var line in order.Lines)
        {
            var changed = await committer.RunAsync(line.ProductId, StockRead.ForChange(orderId, ChangeIntent.HoldExpiry), s =>
            {
                if (s.Reservation(orderId) is not { Status: ReservationStatus.Active }) return false;
                s.Release(orderId, ChangeIntent.HoldExpiry, "all", null, ReleaseReason.HoldExpired, "hold-expiry", now);
                return true;
            }, ct);
            any |= changed;
        }
        return any;
    }
}
