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
/// locations counted after a shipment): the order's items leave the list, so what is left still needs someone.
/// </summary>
public sealed class DismissAttention(WebhookDeliveries deliveries)
{
    /// <summary>Removes every item of <paramref name="orderId"/>; how many.</summary>
    public async Task<int> ExecuteAsync(string orderId, CancellationToken ct = default)
    {
        new Guard().Id("orderId", orderId).ThrowIfAny();
        var items = await deliveries.ListedAsync(orderId, ct);
        if (items.Count == 0) throw new AttentionNotFoundException(orderId);
        return await deliveries.DismissAsync(items, ct);
    }
}
