using Inventory.Application.Orders;
using Inventory.Functions.Api;
using Inventory.Functions.Api.Contracts;
using Inventory.Functions.OpenApi;
using Inventory.Functions.Shopify;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Inventory.Functions.Functions;

public sealed class ShopifyWebhook(ShopifySignature signature, ShopifyOrders orders, WebhookDeliveries deliveries, DismissAttention dismiss)
{
    /// <summary>Shopify order payloads carry every field of the order; 1 MiB is far above a real one.</summary>
    public const int BodyLimitBytes = 1024 * 1024;

    [Function("ShopifyWebhook")]
    [ApiOperation("Shopify order webhooks: orders/create reserves by SKU, orders/cancelled releases, orders/fulfilled ships",
        Description = "The body is Shopify's order payload, signed with X-Shopify-Hmac-Sha256 (401 when missing or wrong, or when no secret is set). "
            + "A delivery already handled (same X-Shopify-Webhook-Id, or the same order event) has no second effect.",
        Headers = ["X-Shopify-Topic", "X-Shopify-Hmac-Sha256", "X-Shopify-Webhook-Id"], Response = typeof(ShopifyOutcomeResponse), Tag = "webhooks")]
    public Task<IActionResult> Receive(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "webhooks/shopify")] HttpRequest req, CancellationToken ct) =>
        ApiCall.RunAsync(req, async () =>
        {
            var body = await JsonBody.ReadBytesAsync(req, BodyLimitBytes, ct);
            signature.Verify(body, req.Headers["X-Shopify-Hmac-Sha256"]);
            return JsonResponse.Ok(ShopifyOutcomeResponse.From(await orders.HandleAsync(req.Headers["X-Shopify-Topic"], Header(req, "X-Shopify-Webhook-Id"), body, ct)));
        });

    [Function("ShopifyAttention")]
    [ApiOperation("Shopify orders acknowledged but not reserved (unknown SKU, stock shortfall...), with reason and time received",
        Response = typeof(AttentionResponse), Query = ["pageSize", "continuationToken"], Tag = "webhooks")]
    public Task<IActionResult> Attention(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "webhooks/shopify/attention")] HttpRequest req, CancellationToken ct) =>
        ApiCall.RunAsync(req, async () =>
        {
            var size = req.Query["pageSize"].ToString();
            var pageSize = size.Length == 0 ? 100 : int.TryParse(size, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : 0;
            new Domain.Guard().That(pageSize is >= 1 and <= 1000, "pageSize", "must be between 1 and 1000").ThrowIfAny();
            return JsonResponse.Ok(AttentionResponse.From(await deliveries.AttentionAsync(pageSize, PageToken.Decode(req.Query["continuationToken"]), ct)));
        });

    [Function("ShopifyAttentionDismiss")]
    [ApiOperation("Dismiss a Shopify order's attention item once handled: the item of the reason named, or every item of the order (204; 404 attention-not-found when none is listed)",
        Description = "Name the reason handled (reason=), so that an item of another reason listed since the list was read stays.",
        Query = ["reason"], Success = [204], Tag = "webhooks")]
    public Task<IActionResult> Dismiss(
        [HttpTrigger(AuthorizationLevel.Function, "delete", Route = "webhooks/shopify/attention/{orderId}")] HttpRequest req, string orderId, CancellationToken ct) =>
        ApiCall.RunAsync(req, async () =>
        {
            await dismiss.ExecuteAsync(orderId, req.Query["reason"].ToString() is { Length: > 0 } reason ? reason : null, ct);
            return JsonResponse.NoContent();
        });

    private static string? Header(HttpRequest req, string name) => req.Headers[name].ToString() is { Length: > 0 } v ? v : null;
}
