using Inventory.Domain;

namespace Inventory.Application.Orders;

/// <summary>No attention item is listed for the order (never listed, or dismissed already).</summary>
public sealed class AttentionNotFoundException(string orderId)
    : DomainException("attention-not-found", $"No attention item is listed for order '{orderId}'.")
{
    public string OrderId { get; } = orderId;
}

/// <summary>
/// An operator's "handled" on a Shopify order listed for attention (the SKU added and the order reserved by hand, the
/// locations counted after a shipment): the order's item of the reason handled leaves the list (or every item of the
/// order when no reason is named), so what is left, a reason listed since the operator read the list among it, still
/// needs someone.
/// </summary>
public sealed class DismissAttention(WebhookDeliveries deliveries)
{
    /// <summary>Removes the item of <paramref name="reason"/> of <paramref name="orderId"/>, or every item of it when null; how many.</summary>
    public async Task<int> ExecuteAsync(string orderId, string? reason = null, CancellationToken ct = default)
    {
        new Guard().Id("orderId", orderId).That(reason is null || Limits.IsValidId(reason), "reason", "must be a reason the list gives").ThrowIfAny();
        var items = (await deliveries.ListedAsync(orderId, ct)).Where(i => reason is null || i.Item.Reason == reason).ToArray();
        if (items.Length == 0) throw new AttentionNotFoundException(orderId);
        return await deliveries.DismissAsync(items, ct);
    }
}
