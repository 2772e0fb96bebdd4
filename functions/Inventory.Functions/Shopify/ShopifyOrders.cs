using Inventory.Application.Catalog;
using Inventory.Application;
using Inventory.Application.Orders;
using Inventory.Domain;
using Inventory.Functions.Api;

namespace Inventory.Functions.Shopify;

public sealed record ShopifyOutcome(
    string Topic, string ShopifyOrderId, string OrderId, string Outcome, bool Duplicate, ReservationView? Reservation,
    IReadOnlyList<ShopifyLine> SkippedLines);

/// <summary>
/// Turns Shopify order events into reservations: orders/create reserves by SKU, orders/cancelled releases,
/// orders/fulfilled ships. Each is idempotent twice over: a handled X-Shopify-Webhook-Id is answered from its record, and
/// the same order event under another delivery id meets the application's own replay rules.
/// </summary>
public sealed class ShopifyOrders(WebhookDeliveries deliveries, FulfillReservation fulfill, ReleaseReservation release, CatalogQueries catalog, ReserveStock reserve, OrderHeaders orderHeaders, TimeProvider clock)
{
    public const string PerformedBy = "shopify";
    public static readonly string[] Topics = ["orders/create", "orders/cancelled", "orders/fulfilled"];

    public async Task<ShopifyOutcome> HandleAsync(string? topic, string? webhookId, byte[] body, CancellationToken ct)
    {
        if (topic is null || !Topics.Contains(topic)) throw new UnsupportedTopicException(topic);
        if (webhookId is not null) new Guard().Id("X-Shopify-Webhook-Id", webhookId).ThrowIfAny();
        var order = ShopifyOrder.Parse(body);

        if (webhookId is not null && await deliveries.FindAsync(order.OrderId, webhookId, ct) is { } seen)
            return new ShopifyOutcome(topic, order.ShopifyId, order.OrderId, seen.Outcome, true, await ViewAsync(order.OrderId, ct), []);

        var outcome = topic switch
        {
            "orders/create" => await ReserveOrListAsync(topic, order, ct),
            "orders/cancelled" => await CancelAsync(topic, order, ct),
            _ => await FulfilAsync(topic, order, ct),
        };
        if (webhookId is not null)
        {
            await deliveries.RecordAsync(new ShopifyDelivery(webhookId, topic, order.OrderId, outcome.Outcome, clock.GetUtcNow()), ct);
        }
        return outcome;
    }

    /// <summary>
    /// Shopify retries what it is refused and may drop the subscription: an order that cannot be reserved (any refusal
    /// but contention, which a retry may get past) is answered 200 and listed for attention. Deliveries are not ordered:
    /// a cancellation already recorded wins (nothing is reserved), and a fulfilment already recorded ships what is
    /// reserved; both are checked again after reserving, so one that raced the reservation still releases or ships it.
    /// </summary>
    private async Task<ShopifyOutcome> ReserveOrListAsync(string topic, ShopifyOrder order, CancellationToken ct)
    {
        if (await deliveries.MarksAsync(order.OrderId, ct) is { Cancelled: true } marks)
        {
            // Cancelled before it came, and reported fulfilled too: Shopify shipped what nothing here held.
            if (marks.Fulfilled) await ShippedUnheldAsync(topic, order, null, ct);
            return new ShopifyOutcome(topic, order.ShopifyId, order.OrderId, "cancelled-before-create", false, null, []);
        }
        ShopifyOutcome outcome;
        try
        {
            outcome = await ReserveAsync(topic, order, ct);
        }
        catch (Exception e) when (e is DomainException and not ConcurrencyExhaustedException or Storage.TransactionTooLargeException)
        {
            var code = e is DomainException refusal ? refusal.Code : Storage.TransactionTooLargeException.Code;
            await deliveries.NeedsAttentionAsync(new AttentionItem(order.OrderId, order.ShopifyId, topic, code, e.Message, clock.GetUtcNow()), ct);
            // Shopify reported it fulfilled before this create came: its shipment is listed beside the refusal, as it is
            // when the fulfilment comes after.
            if ((await deliveries.MarksAsync(order.OrderId, ct)).Fulfilled) await ListShippedRefusedAsync(order, "orders/fulfilled", ct);
            return new ShopifyOutcome(topic, order.ShopifyId, order.OrderId, "needs-attention", false, null, []);
        }
        var (cancelled, fulfilled) = await deliveries.MarksAsync(order.OrderId, ct);
        if (cancelled) return await CancelAsync(topic, order, ct);
        if (fulfilled && outcome.Reservation is not null) return await ChangeAsync(topic, order, fulfill, "fulfilled", ct);
        return outcome;
    }

    private async Task<ShopifyOutcome> FulfilAsync(string topic, ShopifyOrder order, CancellationToken ct)
    {
        await deliveries.MarkFulfilledAsync(order.OrderId, clock.GetUtcNow(), ct);
        return await ChangeAsync(topic, order, fulfill, "fulfilled", ct);
    }

    private async Task<ShopifyOutcome> CancelAsync(string topic, ShopifyOrder order, CancellationToken ct)
    {
        await deliveries.MarkCancelledAsync(order.OrderId, clock.GetUtcNow(), ct);
        return await ChangeAsync(topic, order, release, "released", ct);
    }

    private async Task<ShopifyOutcome> ReserveAsync(string topic, ShopifyOrder order, CancellationToken ct)
    {
        var skipped = order.Lines.Where(l => l.Sku is null).ToArray();
        var lines = new List<OrderLine>();
        var unknown = new List<string>();
        foreach (var line in order.Lines.Where(l => l.Sku is not null))
        {
            var product = line.Sku!.Length <= Limits.MaxSkuLength && Limits.IsPrintable(line.Sku)
                ? await catalog.FindProductBySkuAsync(line.Sku, ct) : null;
            if (product is null) unknown.Add(line.Sku);
            else lines.Add(new OrderLine(product.ProductId, line.Quantity));
        }
        if (unknown.Count > 0) throw new UnknownSkuException(order.OrderId, unknown.Distinct(StringComparer.Ordinal).ToArray());
        if (lines.Count == 0) return new ShopifyOutcome(topic, order.ShopifyId, order.OrderId, "nothing-to-reserve", false, null, skipped);

        var result = await reserve.ExecuteAsync(new ReserveCommand(order.OrderId, lines, PerformedBy: PerformedBy), ct);
        return new ShopifyOutcome(topic, order.ShopifyId, order.OrderId, result.Created ? "reserved" : "already-reserved", false, result.Reservation, skipped);
    }

    /// <summary>
    /// Ships or releases what the order holds. An order that holds nothing is acknowledged, never bounced and never
    /// reported changed: one never reserved (unknown here, or refused at creation and listed for attention) answers
    /// <c>no-reservation</c>; a fulfilment of one released before (cancelled) answers <c>nothing-held</c>. An order of
    /// several products still being reserved is left to the change, which answers 409 so that Shopify retries.
    /// </summary>
    private async Task<ShopifyOutcome> ChangeAsync(string topic, ShopifyOrder order, ChangeReservation change, string done, CancellationToken ct)
    {
        if (await HoldingNothingAsync(topic, order, ct) is { } idle) return idle;
        try
        {
            var view = await change.ExecuteAsync(new ReservationChangeCommand(order.OrderId, PerformedBy: PerformedBy), ct);
            // Every line held nothing (a cancel of an order shipped before): nothing was released or shipped, so not "done".
            var heldNothing = view.Change?.Lines is { Count: > 0 } lines && lines.All(l => l.Outcome == ChangeLine.NothingHeld);
            var outcome = heldNothing ? ChangeLine.NothingHeld : done;
            // Shopify shipped the whole order, units released here included (an operator's release): listed, whatever this
            // delivery shipped. A redelivery replays the recorded fulfilment, so it is answered as the first was.
            if (topic == "orders/fulfilled" && view.Lines.Any(l => l.Released > 0)) await ListShippedUnheldAsync(order, topic, ct);
            return new ShopifyOutcome(topic, order.ShopifyId, order.OrderId, outcome, false, view, []);
        }
        catch (ReservationNotFoundException)
        {
            // An order placed before the integration, or refused before any product recorded it: nothing is held.
            return Outcome(topic, order, "no-reservation", null);
        }
        catch (InvalidStateException)
        {
            // A cancel that raced this fulfilment: nothing is held any more. Anything else (still being reserved) is refused.
            if (await HoldingNothingAsync(topic, order, ct) is { } raced) return raced;
            // Shipped in part here and the rest released ("holds nothing to fulfil"): Shopify shipped the released units too.
            if (topic == "orders/fulfilled" && await orderHeaders.ViewAsync(order.OrderId, ct) is { } held
                && held.Lines.All(l => l.Remaining == 0) && held.Lines.Any(l => l.Released > 0))
                return await ShippedUnheldAsync(topic, order, held, ct);
            throw;
        }
    }

    /// <summary>The answer for an order that holds nothing the change could act on; null when the change decides.</summary>
    private async Task<ShopifyOutcome?> HoldingNothingAsync(string topic, ShopifyOrder order, CancellationToken ct)
    {
        var header = await orderHeaders.FindAsync(order.OrderId, ct);
        if (header is null)
            // Fulfilled after a cancel that came before the create (which then reserves nothing): Shopify shipped units unheld here.
            return topic == "orders/fulfilled" && (await deliveries.MarksAsync(order.OrderId, ct)).Cancelled
                ? await ShippedUnheldAsync(topic, order, null, ct) : await NeverReservedAsync(topic, order, ct);
        if (header.State is not null && !header.IsTerminal) return null; // its reserve saga is not decided yet
        var view = await orderHeaders.ViewAsync(order.OrderId, ct);
        return view.Status switch
        {
            OrderReservationStatus.Rejected => await NeverReservedAsync(topic, order, ct),
            OrderReservationStatus.Released when topic == "orders/fulfilled" => await ShippedUnheldAsync(topic, order, view, ct),
            _ => null,
        };
    }

    /// <summary>
    /// Shopify shipped an order released here before (cancelled, expired or released by an operator): nothing is shipped
    /// here, but its units, gone from the shelf, are still counted on hand and sold again unless someone counts them. Listed
    /// for attention (one entry per order, however often the event is delivered).
    /// </summary>
    private async Task<ShopifyOutcome> ShippedUnheldAsync(string topic, ShopifyOrder order, ReservationView? view, CancellationToken ct)
    {
        await ListShippedUnheldAsync(order, topic, ct);
        return Outcome(topic, order, ChangeLine.NothingHeld, view);
    }

    private Task ListShippedUnheldAsync(ShopifyOrder order, string topic, CancellationToken ct) =>
        deliveries.NeedsAttentionAsync(new AttentionItem(order.OrderId, order.ShopifyId, topic, ChangeLine.NothingHeld,
            "Shopify reports the order fulfilled, but units of it were not held here any more (released before, e.g. by orders/cancelled " +
            "or an operator): they were not shipped here, and the units Shopify shipped are still counted on hand. Count the locations " +
            "they were picked from, or adjust them.", clock.GetUtcNow()), ct);

    /// <summary>
    /// An order never reserved here answers <c>no-reservation</c>. One refused here at its creation (listed for attention)
    /// that Shopify then ships left the shelf all the same: the shipment is listed beside the refusal. One never seen (placed
    /// before the integration) is not.
    /// </summary>
    private async Task<ShopifyOutcome> NeverReservedAsync(string topic, ShopifyOrder order, CancellationToken ct)
    {
        if (topic == "orders/fulfilled" && (await deliveries.ListedAsync(order.OrderId, ct)).Count > 0) await ListShippedRefusedAsync(order, topic, ct);
        return Outcome(topic, order, "no-reservation", null);
    }

    private Task ListShippedRefusedAsync(ShopifyOrder order, string topic, CancellationToken ct) =>
        deliveries.NeedsAttentionAsync(new AttentionItem(order.OrderId, order.ShopifyId, topic, ChangeLine.NothingHeld,
            "Shopify reports the order fulfilled, but it was refused here when it was created (its other item says why): nothing of it " +
            "was reserved or shipped here, and the units Shopify shipped of the products known here are still counted on hand. Count " +
            "the locations they were picked from, or adjust them.", clock.GetUtcNow()), ct);

    private static ShopifyOutcome Outcome(string topic, ShopifyOrder order, string outcome, ReservationView? view) =>
        new(topic, order.ShopifyId, order.OrderId, outcome, false, view, []);

    private async Task<ReservationView?> ViewAsync(string orderId, CancellationToken ct) =>
        await orderHeaders.FindAsync(orderId, ct) is null ? null : await orderHeaders.ViewAsync(orderId, ct);
}
