using System.Text;
using System.Text.Json;
using Inventory.Application.Orders;
using Inventory.Application.Stock;
using Inventory.Domain;
using Inventory.Functions.Functions;
using Inventory.Functions.Shopify;
using Inventory.Testing;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;

namespace Inventory.Functions.Tests.Shopify;

/// <summary>The Shopify webhook function called as the Functions host calls it, over the in-memory store (no Azurite).</summary>
internal sealed class ShopifyWebhookCalls
{
    public const string Secret = "review8-secret";
    public InventoryApplication App { get; } = new(new InMemoryDocumentStore());
    private readonly ShopifyWebhook function;

    public ShopifyWebhookCalls()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Shopify:WebhookSecret"] = Secret }).Build();
        function = App.Create<ShopifyWebhook>(new ShopifySignature(configuration), App.Create<ShopifyOrders>());
    }

    /// <summary>A warehouse with one bulk location and products with SKUs, each with <paramref name="onHand"/> units.</summary>
    public async Task SeedAsync(long onHand, params string[] productIds)
    {
        await App.SaveWarehouse.ExecuteAsync(new Warehouse { WarehouseId = "W-SHP", Name = "Shopify" });
        await App.SaveLocation.ExecuteAsync(new Location { LocationId = "L-SHP", WarehouseId = "W-SHP", Type = LocationType.Bulk });
        foreach (var p in productIds)
        {
            await App.SaveProduct.ExecuteAsync(new Product { ProductId = p, Sku = "SKU-" + p, Name = p });
            await App.Receive.ExecuteAsync(new ReceiveCommand(p, "L-SHP", onHand, "seed-" + p));
        }
    }

    public async Task<(int Status, JsonElement Body, string? ContentType)> PostAsync(string topic, string webhookId, string body)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "POST";
        context.Request.Path = "/api/webhooks/shopify";
        context.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes(body));
        context.Request.Headers["X-Shopify-Topic"] = topic;
        context.Request.Headers["X-Shopify-Webhook-Id"] = webhookId;
        context.Request.Headers["X-Shopify-Hmac-Sha256"] = ShopifySignature.Sign(Encoding.UTF8.GetBytes(body), Secret);
        context.Response.Body = new MemoryStream();
        var result = await function.Receive(context.Request, default);
        await result.ExecuteResultAsync(new ActionContext(context, new RouteData(), new ActionDescriptor()));
        context.Response.Body.Position = 0;
        var text = await new StreamReader(context.Response.Body).ReadToEndAsync();
        return (context.Response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone(), context.Response.ContentType);
    }

    /// <summary>DELETE /api/webhooks/shopify/attention/{orderId}, as the host calls it.</summary>
    public async Task<(int Status, JsonElement Body)> DismissAsync(string orderId, string? reason = null)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "DELETE";
        context.Request.Path = "/api/webhooks/shopify/attention/" + orderId;
        if (reason is not null) context.Request.QueryString = new QueryString("?reason=" + Uri.EscapeDataString(reason));
        context.Response.Body = new MemoryStream();
        var result = await function.Dismiss(context.Request, orderId, default);
        await result.ExecuteResultAsync(new ActionContext(context, new RouteData(), new ActionDescriptor()));
        context.Response.Body.Position = 0;
        var text = await new StreamReader(context.Response.Body).ReadToEndAsync();
        return (context.Response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    /// <summary>Every item of the attention list, following its pages (a page may be short, or empty with a token).</summary>
    public async Task<IReadOnlyList<AttentionItem>> AttentionAsync()
    {
        var items = new List<AttentionItem>();
        string? token = null;
        do
        {
            var page = await App.Deliveries.AttentionAsync(100, token);
            items.AddRange(page.Items);
            token = page.ContinuationToken;
        } while (token is not null);
        return items;
    }
}
