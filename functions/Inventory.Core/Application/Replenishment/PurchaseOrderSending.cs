using Inventory.Application.Purchasing;
using Inventory.Domain;

namespace Inventory.Application.Replenishment;

/// <summary>
/// Sends replenishment orders: publishes one (MessageId = poId) and marks it SENT. As a purchase-order handler it sends a
/// replenishment order left in DRAFT whose creation recovery finished, as the reorder that drafted it would have.
/// </summary>
public sealed class PurchaseOrderSending(PurchaseOrderBook book, ProductSupplies supplies, IPurchaseOrderPublisher publisher, TimeProvider clock)
    : IPurchaseOrderChangeHandler
{
    /// <summary>
    /// Safe when a trigger and a repair race on one order: publishing is idempotent by poId, and SENT is set once. A DRAFT
    /// order records the send's intent first (<see cref="PurchaseOrder.BeginSending"/>, under its ETag), so an operator's
    /// cancel either lands before it (nothing is published) or is refused until the order is SENT: never an order
    /// cancelled in the store and raised with its supplier (a cancel that landed between the read and the publish went
    /// out as raised until 2026-12-01).
    /// </summary>
    public async Task SendAsync(string poId, CancellationToken ct)
    {
        var order = await book.GetAsync(poId, ct);
        if (order.Status is PurchaseOrderStatus.Draft)
            order = await book.UpdateAsync(poId, po => po.Status == PurchaseOrderStatus.Draft ? po.BeginSending(clock.GetUtcNow()) : po, ct);
        if (order.Status is not (PurchaseOrderStatus.Draft or PurchaseOrderStatus.Sent))
        {
            await supplies.TrackAsync(order, ct);
            return;
        }
        await publisher.PublishAsync(order, ct);
        var sent = await book.UpdateAsync(poId, po => po.Status == PurchaseOrderStatus.Draft ? po.Send(clock.GetUtcNow()) : po, ct);
        await supplies.TrackAsync(sent, ct);
    }

    public Task HandleAsync(PurchaseOrderChanged change, CancellationToken ct) =>
        change is { CreationRecovered: true, Order: { Origin: PurchaseOrderOrigin.Replenishment, Status: PurchaseOrderStatus.Draft } order }
            ? SendAsync(order.PoId, ct) : Task.CompletedTask;
}
