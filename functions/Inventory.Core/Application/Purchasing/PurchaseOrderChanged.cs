using Inventory.Domain;

namespace Inventory.Application.Purchasing;

/// <summary>
/// A purchase order as saved by a change (status, event, receipt), handed to <see cref="AfterPurchaseOrderChange"/>.
/// <paramref name="CreationRecovered"/>: the order's creation was finished by recovery, whose own steps already made its
/// products track it (a replenishment order is then sent, as the reorder that drafted it would have).
/// </summary>
public sealed record PurchaseOrderChanged(PurchaseOrder Order, bool CreationRecovered = false);

/// <summary>Something that follows saved purchase orders (products' supply, sending recovered replenishment orders).</summary>
public interface IPurchaseOrderChangeHandler
{
    Task HandleAsync(PurchaseOrderChanged change, CancellationToken ct);
}

/// <summary>
/// The one step after a purchase order is saved: its handlers run in order, also when a retry or recovery finds the
/// change made before (a crash may have come between the order's update and this step).
/// </summary>
public sealed class AfterPurchaseOrderChange(IEnumerable<IPurchaseOrderChangeHandler> handlers)
{
    private readonly IPurchaseOrderChangeHandler[] handlers = handlers.ToArray();

    public static AfterPurchaseOrderChange None { get; } = new([]);

    public async Task RunAsync(PurchaseOrderChanged change, CancellationToken ct)
    {
        foreach (var handler in handlers) await handler.HandleAsync(change, ct);
    }
}
