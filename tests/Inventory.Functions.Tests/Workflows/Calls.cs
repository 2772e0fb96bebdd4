using System.Net;
using System.Text.Json;
using Inventory.Functions.Tests.Support;

namespace Inventory.Functions.Tests.Workflows;

/// <summary>The few calls the workflow tests make, spelled once.</summary>
internal static class Calls
{
    public static async Task PutAsync(this HttpClient api, string path, object body)
    {
        var r = await api.SendAsync(HttpMethod.Put, path, JsonSerializer.Serialize(body));
        Assert.True(r.Status is HttpStatusCode.OK or HttpStatusCode.Created, $"PUT {path}: {(int)r.Status} {r.Body}");
    }

    public static async Task<JsonElement> PostOkAsync(this HttpClient api, string path, object body)
    {
        var r = await api.PostJsonAsync(path, JsonSerializer.Serialize(body));
        Assert.True((int)r.Status is >= 200 and < 300, $"POST {path}: {(int)r.Status} {r.Body}");
        return r.Body;
    }

    /// <summary>A warehouse and a product with <paramref name="units"/> on hand in one pick face.</summary>
    public static async Task ProductAsync(this HttpClient api, string productId, long units, object? extra = null)
    {
        await api.PutAsync($"/api/warehouses/wh-{productId}", new { name = "W " + productId });
        await api.PutAsync($"/api/warehouses/wh-{productId}/locations/{productId}-pick", new { type = "PICK_FACE" });
        await api.PutAsync($"/api/products/{productId}", extra ?? new { sku = "SKU-" + productId, name = "P " + productId });
        if (units > 0)
            await api.PostOkAsync("/api/stock/receipts", new { receiptId = "seed-" + productId, productId, locationId = productId + "-pick", quantity = units });
    }

    public static async Task<JsonElement> StockAsync(this HttpClient api, string productId)
    {
        var r = await api.GetJsonAsync($"/api/products/{productId}/stock");
        Assert.Equal(HttpStatusCode.OK, r.Status);
        return r.Body;
    }

    public static async Task<long> ReservedAsync(this HttpClient api, string productId) => (await api.StockAsync(productId)).Long("quantityReserved");
    public static async Task<long> OnHandAsync(this HttpClient api, string productId) => (await api.StockAsync(productId)).Long("quantityOnHand");

    public static Task<(HttpStatusCode Status, JsonElement Body, string? ContentType)> ReserveAsync(this HttpClient api, string orderId,
        params (string ProductId, long Quantity)[] lines) =>
        api.PostJsonAsync("/api/reservations", JsonSerializer.Serialize(new
        {
            orderId,
            lines = lines.Select(l => new { productId = l.ProductId, quantity = l.Quantity }),
        }));

    public static Task<(HttpStatusCode Status, JsonElement Body, string? ContentType)> FulfilAsync(this HttpClient api, string orderId,
        string? reference, params (string ProductId, long Quantity)[] lines) =>
        api.PostJsonAsync($"/api/reservations/{orderId}/fulfill", JsonSerializer.Serialize(new
        {
            reference,
            lines = lines.Select(l => new { productId = l.ProductId, quantity = l.Quantity }),
        }, SkipNulls));

    private static readonly JsonSerializerOptions SkipNulls = new() { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };

    /// <summary>Runs a non-HTTP function once through the local host's admin endpoint.</summary>
    public static async Task<HttpStatusCode> RunFunctionAsync(this HttpClient api, string name, string input = "") =>
        (await api.PostJsonAsync($"/admin/functions/{name}", JsonSerializer.Serialize(new { input }))).Status;

    public static long ShippedOf(JsonElement reservation, string productId) =>
        reservation.GetProperty("lines").EnumerateArray().Single(l => l.Str("productId") == productId).Long("shipped");
}
