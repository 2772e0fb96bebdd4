using Inventory.Domain;
using Inventory.Storage;

namespace Inventory.Application.Orders;

/// <summary>A webhook delivery this service has handled, kept in the order's partition so a redelivery with the same id does nothing.</summary>
public sealed record ShopifyDelivery(string WebhookId, string Topic, string OrderId, string Outcome, DateTimeOffset HandledAt);

/// <summary>The handled Shopify deliveries of each order: <c>shopify-delivery|{webhookId}</c> in the order's partition.</summary>
public sealed class WebhookDeliveries(IDocumentStore store)
{
    public async Task<ShopifyDelivery?> FindAsync(string orderId, string webhookId, CancellationToken ct = default)
    {
        var docs = await store.ReadAsync(Collection.Orders, orderId, [Id(webhookId)], [], ct);
        return docs.Count == 0 ? null : DocumentJson.Read<ShopifyDelivery>(docs[0].Body);
    }

    /// <summary>Records a handled delivery (unconditioned: a redelivery handled twice concurrently records the same outcome).</summary>
    public Task RecordAsync(ShopifyDelivery delivery, CancellationToken ct = default)
    {
        new Guard().Id("orderId", delivery.OrderId).Id("X-Shopify-Webhook-Id", delivery.WebhookId).ThrowIfAny();
        return store.CommitAsync(Collection.Orders, delivery.OrderId, [new DocumentWrite.Upsert(Id(delivery.WebhookId), DocumentJson.Write(delivery))], ct);
    }

    private static string Id(string webhookId) => DocumentIds.ShopifyDeliveryPrefix + webhookId;
}
