using Inventory.Application.Orders;
using Inventory.Functions.Shopify;

namespace Inventory.Functions.Api.Contracts;

/// <summary>What a Shopify delivery did: its outcome, the order's reservation when there is one, the lines that are not stock.</summary>
public sealed record ShopifyOutcomeResponse(
    string Topic, string ShopifyOrderId, string OrderId, string Outcome, bool Duplicate, ReservationResponse? Reservation,
    IReadOnlyList<SkippedLineResponse> SkippedLines)
{
    public static ShopifyOutcomeResponse From(ShopifyOutcome o) => new(o.Topic, o.ShopifyOrderId, o.OrderId, o.Outcome, o.Duplicate,
        o.Reservation is { } r ? ReservationResponse.From(r) : null, o.SkippedLines.Select(l => new SkippedLineResponse(l.LineId, l.Sku, l.Quantity)).ToArray());
}

/// <summary>A line of the Shopify order that is not stock (no SKU: a gift card, a custom item).</summary>
public sealed record SkippedLineResponse(string LineId, string? Sku, long Quantity);

/// <summary>Shopify orders acknowledged but not reserved, for a person to act on.</summary>
public sealed record AttentionResponse(IReadOnlyList<AttentionItemResponse> Items,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.Never)] string? ContinuationToken)
{
    public static AttentionResponse From(AttentionPage page) => new(
        page.Items.Select(i => new AttentionItemResponse(i.OrderId, i.ShopifyOrderId, i.Topic, i.Reason, i.Detail, i.ReceivedAt)).ToArray(),
        PageToken.Encode(page.ContinuationToken));
}

public sealed record AttentionItemResponse(string OrderId, string ShopifyOrderId, string Topic, string Reason, string Detail, DateTimeOffset ReceivedAt);
