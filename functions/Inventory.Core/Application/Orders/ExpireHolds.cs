using Inventory.Domain;

namespace Inventory.Application.Orders;

public sealed record ExpirySweepResult(int HoldsDue, int OrdersReleased, int Failed);

/// <summary>
/// Releases reservations whose hold has expired. The hold index lists every day that still holds entries, so the sweep
/// finds a due hold however long ago it fell due (the sweep may have been off for weeks, a retried reservation may write
/// an entry into a day long past). An entry is removed only after its order was released, so a crash mid-sweep only
/// repeats idempotent work; an order whose reserve saga is still open is left for the next sweep, after recovery.
/// An entry written less than <see cref="OrderOptions.RecoverAfterSeconds"/> ago whose order holds nothing stays too: a
/// retry coming after its hold fell due writes it just before its commit, which may land after the sweep looked, unheard.
/// </summary>
public sealed class ExpireHolds(StockCommitter committer, OrderHeaders headers, TimeProvider clock, OrderOptions? options = null)
{
    /// <summary>Days swept even without a day marker: entries written before markers existed.</summary>
    public const int LookBackDays = 14;

    public async Task<ExpirySweepResult> ExecuteAsync(CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        int due = 0, released = 0, failed = 0;
        foreach (var day in await headers.HoldDaysAsync(now, LookBackDays, ct))
        {
            await foreach (var hold in headers.HoldsOfDayAsync(day, ct))
            {
                if (hold.Entry.ExpiresAt > now) break; // entries are in expiry order
                due++;
                try
                {
                    var outcome = await ReleaseAsync(hold.Entry.OrderId, now, ct);
                    if (outcome is null) continue; // its saga is open: the next sweep, after recovery
                    if (outcome is false && hold.Entry.WrittenAt > now - Settling) continue; // its reservation may be landing
                    if (outcome.Value) released++;
                    await headers.RemoveHoldAsync(hold, ct);
                }
                catch (DomainException) { failed++; }
            }
            await headers.CloseHoldDayIfEmptyAsync(day, ct);
        }
        return new ExpirySweepResult(due, released, failed);
    }

    private TimeSpan Settling => TimeSpan.FromSeconds((options ?? new OrderOptions()).RecoverAfterSeconds);

    /// <summary>Whether anything was released; null when the order's reserve saga is not terminal yet.</summary>
    private async Task<bool?> ReleaseAsync(string orderId, DateTimeOffset now, CancellationToken ct)
    {
        var order = await headers.FindAsync(orderId, ct);
        if (order is null) return false;
        if (order.State is not null && !order.IsTerminal) return null;
        if (order.State is OrderSagaState.Rejected) return false;
        var any = false;
        foreach (var line in order.Lines)
        {
            // An order claimed in an escrow bucket never made holds nothing there.
            if (order.Bucket is not null && await committer.Partitions.ProductAsync(order.StockOf(line.ProductId), ct) is null) continue;
            var changed = await committer.RunAsync(order.StockOf(line.ProductId), StockRead.ForChange(orderId, ChangeIntent.HoldExpiry, order.Pack), s =>
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
