using Inventory.Domain;
using Inventory.Storage;

namespace Inventory.Application.Orders;

/// <summary>A webhook delivery this service has handled, kept in the order's partition so a redelivery with the same id does nothing.</summary>
public sealed record ShopifyDelivery(string WebhookId, string Topic, string OrderId, string Outcome, DateTimeOffset HandledAt);

/// <summary>A webhook order acknowledged but not reserved (unknown SKU, shortfall...): listed for a person to act on.</summary>
public sealed record AttentionItem(string OrderId, string ShopifyOrderId, string Topic, string Reason, string Detail, DateTimeOffset ReceivedAt);

public sealed record AttentionPage(IReadOnlyList<AttentionItem> Items, string? ContinuationToken);

/// <summary>
/// The handled Shopify deliveries of each order: <c>shopify-delivery|{webhookId}</c> in the order's partition; the
/// cancellation tombstone <c>shopify-cancelled</c> there, which wins over an orders/create delivered after it, and the
/// fulfilment mark <c>shopify-fulfilled</c>, after which a late orders/create ships what it reserves; and the
/// orders needing attention, <c>attention|{orderId}!{reason}</c> in the Quarantine partition <c>shopify</c> (one item per
/// order and reason, so a later reason never hides an earlier one; items written before are <c>attention|{orderId}</c>).
/// </summary>
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
        return store.CommitAsync(Collection.Orders, delivery.OrderId, [new DocumentWrite.Upsert(Id(delivery.WebhookId), DocumentJson.Write(delivery)) { Type = "shopifyDelivery" }], ct);
    }

    public const string CancelledId = "shopify-cancelled";
    public const string AttentionPartition = "shopify";
    public const string AttentionPrefix = "attention|";

    /// <summary>Records that Shopify cancelled the order, before anything is released (unconditioned: a fact, set once or again).</summary>
    public Task MarkCancelledAsync(string orderId, DateTimeOffset at, CancellationToken ct = default) =>
        store.CommitAsync(Collection.Orders, orderId, [new DocumentWrite.Upsert(CancelledId, DocumentJson.Write(new CancelledMark(orderId, at))) { Type = "shopifyCancelled" }], ct);

    public const string FulfilledId = "shopify-fulfilled";

    /// <summary>Records that Shopify fulfilled the order, before anything ships, so an orders/create delivered later ships what it reserves.</summary>
    public Task MarkFulfilledAsync(string orderId, DateTimeOffset at, CancellationToken ct = default) =>
        store.CommitAsync(Collection.Orders, orderId, [new DocumentWrite.Upsert(FulfilledId, DocumentJson.Write(new FulfilledMark(orderId, at))) { Type = "shopifyFulfilled" }], ct);

    /// <summary>Whether Shopify cancelled, and whether it fulfilled, the order (both marks in one read).</summary>
    public async Task<(bool Cancelled, bool Fulfilled)> MarksAsync(string orderId, CancellationToken ct = default)
    {
        var docs = await store.ReadAsync(Collection.Orders, orderId, [CancelledId, FulfilledId], [], ct);
        return (docs.Any(d => d.Id == CancelledId), docs.Any(d => d.Id == FulfilledId));
    }

    /// <summary>
    /// Lists an order for attention under its reason (the same reason again replaces its item: a redelivery). '!' sorts
    /// below every character of an id, so the list stays in order id order; an item kept under the order id alone (before
    /// reasons had keys of their own) with the same reason is replaced there, not listed twice.
    /// </summary>
    public async Task NeedsAttentionAsync(AttentionItem item, CancellationToken ct = default)
    {
        var legacy = AttentionPrefix + item.OrderId;
        var kept = await store.ReadAsync(Collection.Quarantine, AttentionPartition, [legacy], [], ct);
        var id = kept is [var old] && DocumentJson.Read<AttentionItem>(old.Body).Reason == item.Reason ? legacy : $"{legacy}!{item.Reason}";
        await store.CommitAsync(Collection.Quarantine, AttentionPartition, [new DocumentWrite.Upsert(id, DocumentJson.Write(item)) { Type = "shopifyAttention" }], ct);
    }

    /// <summary>The items listed for one order, with their ETags (the ids under its prefix that belong to a longer order id left out).</summary>
    public async Task<IReadOnlyList<(AttentionItem Item, string Id, string ETag)>> ListedAsync(string orderId, CancellationToken ct = default)
    {
        var items = new List<(AttentionItem, string, string)>();
        string? token = null;
        do
        {
            var page = await store.QueryAsync(Collection.Quarantine, AttentionPartition, AttentionPrefix + orderId, 100, token, ct);
            items.AddRange(page.Documents.Select(d => (DocumentJson.Read<AttentionItem>(d.Body), d.Id, d.ETag)).Where(i => i.Item1.OrderId == orderId));
            token = page.ContinuationToken;
        } while (token is not null);
        return items;
    }

    /// <summary>
    /// Removes the items read by <see cref="ListedAsync"/>, each under its ETag: one listed again meanwhile (a new
    /// delivery, after the operator looked) stays for them to see. How many were removed.
    /// </summary>
    public async Task<int> DismissAsync(IReadOnlyList<(AttentionItem Item, string Id, string ETag)> items, CancellationToken ct = default)
    {
        var removed = 0;
        foreach (var (_, id, etag) in items)
            if (await OptimisticConcurrency.TryCommitAsync(store, Collection.Quarantine, AttentionPartition, [new DocumentWrite.Delete(id, etag)], ct)) removed++;
        return removed;
    }

    public async Task<AttentionPage> AttentionAsync(int pageSize, string? continuationToken, CancellationToken ct = default)
    {
        var page = await store.QueryAsync(Collection.Quarantine, AttentionPartition, AttentionPrefix, pageSize, continuationToken, ct);
        return new AttentionPage(page.Documents.Select(d => DocumentJson.Read<AttentionItem>(d.Body)).ToArray(), page.ContinuationToken);
    }

    private sealed record CancelledMark(string OrderId, DateTimeOffset CancelledAt);
    private sealed record FulfilledMark(string OrderId, DateTimeOffset FulfilledAt);

    private const string DeliveryPrefix = "shopify-delivery|";

    private static string Id(string webhookId) => DeliveryPrefix + webhookId;
}
