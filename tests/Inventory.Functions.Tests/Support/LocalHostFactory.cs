using Inventory.Testing;
using System.Net.Http.Json;
using System.Text.Json;
using Inventory.Application;
using Inventory.LocalHost;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Inventory.Functions.Tests.Support;

/// <summary>
/// The local host in memory, over the Table store on the Azurite named by INVENTORY_TEST_STORAGE (scripts/test starts it).
/// Each instance (one per test class, as a class fixture) gets tables of its own through a fresh TablePrefix. Timers are
/// off so only the tests move stock; the clock can be moved forward for hold expiry.
/// </summary>
public class LocalHostFactory : WebApplicationFactory<LocalFunctionSet>
{
    public const string ShopifySecret = "test-shopify-secret";

    public static string? Storage => Environment.GetEnvironmentVariable("INVENTORY_TEST_STORAGE") is { Length: > 0 } s ? s : null;

    public string TablePrefix { get; } = "fn" + Guid.NewGuid().ToString("N")[..12];
    public ShiftedClock Clock { get; } = new();
    protected virtual string? WebhookSecret => ShopifySecret;
    protected virtual string? ConnectionString => Storage;
    protected virtual bool CreateTables => true;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Store:Kind", "Table");
        builder.UseSetting("Store:TableConnectionString", ConnectionString);
        builder.UseSetting("Store:TablePrefix", TablePrefix);
        builder.UseSetting("Store:CreateTablesIfMissing", CreateTables ? "true" : "false");
        builder.UseSetting("LocalHost:RunTimers", "false");
        builder.UseSetting("Shopify:WebhookSecret", WebhookSecret ?? "");
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
    }

    /// <summary>A client of the running host; skips the test, visibly, when no Azurite is configured.</summary>
    public HttpClient Api()
    {
        Skip.If(Storage is null, "INVENTORY_TEST_STORAGE is not set: run scripts/test, which starts Azurite for these end-to-end tests.");
        return CreateClient();
    }

    public InventoryApplication App => field ??= InventoryApplication.From(Services);

    public static JsonSerializerOptions Json { get; } = JsonSerializerOptions.Web;

    /// <summary>A warehouse with a pick face and a bulk location, and a product with stock in each.</summary>
    public static async Task<Seeded> SeedAsync(HttpClient api, string productId, long pickFace, long bulk = 0, string? sku = null)
    {
        var warehouseId = "wh-" + productId;
        await Ok(api.PutAsJsonAsync($"/api/warehouses/{warehouseId}", new { name = "Test warehouse", timezone = "UTC" }));
        await Ok(api.PutAsJsonAsync($"/api/warehouses/{warehouseId}/locations/{productId}-pick", new { type = "pickFace" }));
        await Ok(api.PutAsJsonAsync($"/api/warehouses/{warehouseId}/locations/{productId}-bulk", new { type = "bulk" }));
        await Ok(api.PutAsJsonAsync($"/api/products/{productId}", new { sku = sku ?? "SKU-" + productId, name = "Product " + productId }));
        if (pickFace > 0)
            await Ok(api.PostAsJsonAsync("/api/stock/receipts", new { receiptId = "open-pick-" + productId, productId, locationId = productId + "-pick", quantity = pickFace }));
        if (bulk > 0)
            await Ok(api.PostAsJsonAsync("/api/stock/receipts", new { receiptId = "open-bulk-" + productId, productId, locationId = productId + "-bulk", quantity = bulk }));
        return new Seeded(warehouseId, productId, productId + "-pick", productId + "-bulk");
    }

    private static async Task Ok(Task<HttpResponseMessage> call)
    {
        using var response = await call;
        Assert.True(response.IsSuccessStatusCode, $"Seeding failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }
}

public sealed record Seeded(string WarehouseId, string ProductId, string PickLocation, string BulkLocation);

/// <summary>The system clock, moved forward on demand (hold expiry).</summary>
public sealed class ShiftedClock : TimeProvider
{
    public TimeSpan Offset { get; set; }
    public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + Offset;
}
