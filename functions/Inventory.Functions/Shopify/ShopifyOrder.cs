using System.Text.Json;
using Inventory.Domain;
using Inventory.Functions.Api;

namespace Inventory.Functions.Shopify;

/// <summary>A Shopify order line: its id and SKU as Shopify sent them (a blank SKU: none), and the quantity ordered.</summary>
public sealed record ShopifyLine(string LineId, string? Sku, long Quantity);

/// <summary>
/// The few fields of a Shopify order payload this service reads; every other field is ignored. Shopify's ids are
/// 64-bit integers beyond double precision, so they are taken as the raw JSON text and never go through a double.
/// </summary>
public sealed record ShopifyOrder(string ShopifyId, IReadOnlyList<ShopifyLine> Lines)
{
    /// <summary>The order id used in this service: Shopify's id, prefixed so it never collides with other channels' ids.</summary>
    public string OrderId => "shopify-" + ShopifyId;

    public static ShopifyOrder Parse(byte[] body)
    {
        JsonDocument document;
        try { document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 64 }); }
        catch (JsonException e) { throw new MalformedJsonException(e.Message); }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw new ValidationException("body", "must be a Shopify order object");
            var errors = new List<FieldError>();
            var id = IdOf(root, "id", "id", errors);
            var lines = new List<ShopifyLine>();
            if (root.TryGetProperty("line_items", out var items) && items.ValueKind == JsonValueKind.Array)
            {
                var i = 0;
                foreach (var item in items.EnumerateArray())
                {
                    var field = $"line_items[{i++}]";
                    if (item.ValueKind != JsonValueKind.Object) { errors.Add(new(field, "must be an object")); continue; }
                    var lineId = IdOf(item, "id", field + ".id", errors);
                    var sku = item.TryGetProperty("sku", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
                    long quantity = 0;
                    if (!item.TryGetProperty("quantity", out var q) || q.ValueKind != JsonValueKind.Number || !q.TryGetInt64(out quantity))
                        errors.Add(new(field + ".quantity", "must be an integer"));
                    else if (quantity is < 1 or > Limits.MaxQuantity)
                        errors.Add(new(field + ".quantity", $"must be between 1 and {Limits.MaxQuantity}")); // the payload's fault: 400, as before
                    // Kept as sent: the catalog stores a SKU as given and matches it exactly (no SKU it holds is blank).
                    lines.Add(new ShopifyLine(lineId ?? "", string.IsNullOrWhiteSpace(sku) ? null : sku, quantity));
                }
            }
            else errors.Add(new("line_items", "must be an array"));
            if (errors.Count > 0) throw new ValidationException(errors);
            return new ShopifyOrder(id!, lines);
        }
    }

    /// <summary>An id as its exact digits, whether Shopify sent it as a JSON number or a string.</summary>
    private static string? IdOf(JsonElement owner, string property, string field, List<FieldError> errors)
    {
        if (owner.TryGetProperty(property, out var value))
        {
            var text = value.ValueKind switch
            {
                JsonValueKind.Number => value.GetRawText(),
                JsonValueKind.String => value.GetString(),
                _ => null,
            };
            if (text is { Length: > 0 and <= 20 } && text.All(char.IsAsciiDigit)) return text;
        }
        errors.Add(new(field, "must be a positive integer id"));
        return null;
    }
}
