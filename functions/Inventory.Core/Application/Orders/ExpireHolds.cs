using Inventory.Application.Escrow;
using Inventory.Domain;

namespace Inventory.Application.Orders;

public sealed record ExpirySweepResult(int HoldsDue, int OrdersReleased, int Failed);

/// <summary>
/// Releases reservations whose hold has expired. The hold index lists every day that still holds entries, so the sweep
/// finds a due hold however long ago it fell due (the sweep may have been off for weeks, a retried reservation may write
/// an entry into a day long past). An entry is removed only after its order was released, so a crash mid-sweep only
/// repeats idempotent work; an order whose reserve saga is still open is left for the next sweep, after recovery.
/// Where an order holds nothing (a retry coming after its hold fell due, its commit not landed yet; a claimant that died
/// before it reserved) the sweep records it expired (<see cref="ProductStock.CloseForExpiredHold"/>), in the partition where
/// its reservation would land: a request of the order reserving after that loses its commit on the head and finds the
/// record, so nothing is held once the entry is gone, however long that request stalled.
/// </summary>
public sealed class ExpireHolds(StockCommitter committer, OrderHeaders headers, EscrowBuckets escrow, TimeProvider clock, OrderOptions? options = null)
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
                    if (outcome is null) continue; // its saga is open, or its claimant may still reserve unseen: the next sweep
                    if (outcome.Value) released++;
                    await headers.RemoveHoldAsync(hold, ct);
                }
                catch (DomainException) { failed++; }
            }
            await headers.CloseHoldDayIfEmptyAsync(day, ct);
        }
        return new ExpirySweepResult(due, released, failed);
    }

    /// <summary>Whether anything was released; null when the order's reserve saga is not terminal yet, or its claim still exclusive.</summary>
    private async Task<bool?> ReleaseAsync(string orderId, DateTimeOffset now, CancellationToken ct)
    {
        var order = await headers.FindAsync(orderId, ct);
        if (order is null) return false;
        if (order.State is not null && !order.IsTerminal) return null;
        if (order.State is OrderSagaState.Rejected) return false;
        // Its claimant takes its reservation as absent until then (OrderClaim): a fence landing sooner could go unseen.
        if (OrderClaim.IsPending(order) && now < OrderClaim.OthersFrom(order, options ?? new OrderOptions())) return null;
        var any = false;
        foreach (var line in order.Lines)
        {
            // A bucket named on the header may not be made yet (its claimant died first): made here, so the fence is where
            // a late reservation of the order lands.
            if (order.Bucket is { } index) await escrow.CreateAsync(new EscrowBucket(line.ProductId, index), ct);
            var request = new ReserveRequest(orderId, line.Quantity, order.WarehouseId, order.Policy, order.HoldExpiresAt, order.PerformedBy);
            any |= await committer.RunAsync(order.StockOf(line.ProductId), StockRead.ForChange(orderId, ChangeIntent.HoldExpiry, order.Pack), s =>
            {
                switch (s.Reservation(orderId))
                {
                    case { Status: ReservationStatus.Active }:
                        s.Release(orderId, ChangeIntent.HoldExpiry, "all", null, ReleaseReason.HoldExpired, "hold-expiry", now);
                        return true;
                    case null: // nothing held yet: fenced, so nothing is held later either
                        s.CloseForExpiredHold(request, now);
                        return false;
                    default:
                        return false;
                }
            }, ct);
        }
        return any;
    }
}
