using System.Net.Http.Json;
using Inventory.Functions.Tests.Support;
using Xunit.Abstractions;

namespace Inventory.Functions.Tests;

/// <summary>
/// Issue 15: the operator console in a real headless Chromium, against the local host loaded with scripts/run --demo's
/// data plus some activity: it finds a product and shows its stock, reservations, ledger and chart, and the overview panels.
/// Set CONSOLE_SCREENSHOT to a path to keep the screenshot (docs/img/console.png was taken so).
/// </summary>
public sealed class ConsoleBrowserTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [SkippableFact]
    public async Task The_console_finds_a_product_by_sku_and_shows_its_stock_reservations_and_ledger()
    {
        Skip.If(LocalHostFactory.Storage is null, "INVENTORY_TEST_STORAGE is not set: run scripts/test, which starts Azurite for these end-to-end tests.");
        var (browser, why) = await Chromium.StartAsync(1400, 1900);
        Skip.If(browser is null, $"{Chromium.SkipPrefix}: {why}");
        await using var _ = browser;
        await using var host = await LocalHostProcess.StartAsync(LocalHostFactory.Storage!);
        await host.LoadDemoDataAsync();
        await AddActivityAsync(host.Url);

        await browser!.NavigateAsync(host.Url + "/console");
        await browser.WaitForAsync("document.querySelector('#low-stock-body table')", Patience, "the low-stock list");
        await browser.WaitForAsync("document.querySelector('#po-body table')", Patience, "the purchase orders");
        await browser.WaitForAsync("document.querySelector('#replenishment-body table')", Patience, "the latest replenishment run");
        await browser.WaitForAsync("document.querySelector('#quarantine-body .empty')", Patience, "the empty quarantine");
        Assert.Contains("TS-BLUE-M", await Text(browser, "#low-stock-body"), StringComparison.Ordinal);
        Assert.DoesNotContain("MUG-WHITE", await Text(browser, "#low-stock-body"), StringComparison.Ordinal);
        Assert.Contains("PO-UI-1", await Text(browser, "#po-body"), StringComparison.Ordinal);
        Assert.Contains("No quarantined messages", await Text(browser, "#quarantine-body"), StringComparison.Ordinal);
        Assert.Contains("Products scanned", await Text(browser, "#replenishment-body"), StringComparison.Ordinal);
        Assert.Contains("healthy", await Text(browser, "#health"), StringComparison.Ordinal);

        await browser.EvaluateAsync("document.getElementById('find-input').value = 'NO-SUCH-SKU'; document.querySelector('#find-form button').click()");
        await browser.WaitForAsync("document.getElementById('find-message').textContent.includes('No product has')", Patience, "the not-found message");

        await browser.EvaluateAsync("document.getElementById('find-input').value = 'TS-BLUE-M'; document.querySelector('#find-form button').click()");
        await browser.WaitForAsync("!document.getElementById('product').hidden", Patience, "the product panel");
        Assert.Contains("T-shirt blue M", await Text(browser, "#product-title"), StringComparison.Ordinal);
        Assert.Equal("100", await Text(browser, "[data-total='On hand']"));
        Assert.Equal("85", await Text(browser, "[data-total='Reserved']"));
        Assert.Equal("15", await Text(browser, "[data-total='Available']"));
        var locations = await Text(browser, "#product-locations");
        Assert.Contains("paris-pick-01", locations, StringComparison.Ordinal);
        Assert.Contains("paris-bulk-01", locations, StringComparison.Ordinal);
        Assert.Contains("order-ui-1", await Text(browser, "#product-reservations"), StringComparison.Ordinal);
        Assert.Contains("RECEIVE", await Text(browser, "#product-ledger"), StringComparison.Ordinal);
        Assert.True((await browser.EvaluateAsync("document.querySelectorAll('#product-chart svg path.line').length === 1")).GetBoolean(), "the on-hand chart is drawn");
        Assert.Empty(browser.PageErrors);

        var png = await browser.ScreenshotAsync();
        Assert.True(png.AsSpan(0, 8).SequenceEqual(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }), "a PNG");
        var path = Environment.GetEnvironmentVariable("CONSOLE_SCREENSHOT") is { Length: > 0 } p ? p : Path.Combine(Path.GetTempPath(), "console-test.png");
        await File.WriteAllBytesAsync(path, png);
        output.WriteLine($"Screenshot: {path} ({png.Length} bytes)");
    }

    private static async Task<string> Text(Chromium browser, string selector) =>
        (await browser.EvaluateAsync($"(document.querySelector(\"{selector}\") || {{innerText: ''}}).innerText.trim()")).GetString() ?? "";

    /// <summary>On top of the demo data: an order holding 85 T-shirts (so they are low on stock), a purchase order, a nightly scan.</summary>
    private static async Task AddActivityAsync(string url)
    {
        using var api = new HttpClient { BaseAddress = new Uri(url) };
        async Task Ok(Task<HttpResponseMessage> call)
        {
            using var r = await call;
            Assert.True(r.IsSuccessStatusCode, $"{r.RequestMessage?.RequestUri}: {(int)r.StatusCode} {await r.Content.ReadAsStringAsync()}");
        }
        await Ok(api.PostAsJsonAsync("/api/reservations", new { orderId = "order-ui-1", lines = new[] { new { productId = "tshirt-blue-m", quantity = 85 } } }));
        await Ok(api.PostAsJsonAsync("/api/stock/adjustments", new { adjustmentId = "ui-adj-1", productId = "mug-white", locationId = "paris-pick-01", countedQuantity = 23, reasonCode = "damaged" }));
        await Ok(api.PostAsJsonAsync("/api/purchase-orders", new
        {
            poId = "PO-UI-1", supplierId = "acme", warehouseId = "wh-paris", expectedDate = "2030-02-01", lines = new[] { new { productId = "mug-white", quantity = 24 } },
        }));
        await Ok(api.PostAsync("/api/purchase-orders/PO-UI-1/send", null));
        await Ok(api.PostAsJsonAsync("/admin/functions/DailyReplenishmentScan", new { input = "" }));
    }
}
