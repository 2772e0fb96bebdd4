using System.Text.Json;

namespace Inventory.Functions.Tests;

/// <summary>
/// Reads the functions.metadata that the Functions SDK wrote into the Functions project's build output (what the real
/// host indexes) and checks each function's trigger, route and methods, and that the local host discovers the same.
/// </summary>
public sealed class FunctionsMetadataTests
{
    public sealed record Declared(string Trigger, string? Route, string[] Methods, string? Schedule = null);

    private static readonly Dictionary<string, Declared> Expected = new()
    {
        ["PutProduct"] = new("httpTrigger", "products/{productId}", ["put"]),
        ["GetProduct"] = new("httpTrigger", "products/{productId}", ["get"]),
        ["GetStock"] = new("httpTrigger", "products/{productId}/stock", ["get"]),
        ["GetTransactions"] = new("httpTrigger", "products/{productId}/transactions", ["get"]),
        ["AuditProduct"] = new("httpTrigger", "products/{productId}/audit", ["get"]),
        ["PutWarehouse"] = new("httpTrigger", "warehouses/{warehouseId}", ["put"]),
        ["GetWarehouse"] = new("httpTrigger", "warehouses/{warehouseId}", ["get"]),
        ["PutLocation"] = new("httpTrigger", "warehouses/{warehouseId}/locations/{locationId}", ["put"]),
        ["CreateReservation"] = new("httpTrigger", "reservations", ["post"]),
        ["GetReservation"] = new("httpTrigger", "reservations/{orderId}", ["get"]),
        ["FulfillReservation"] = new("httpTrigger", "reservations/{orderId}/fulfill", ["post"]),
        ["ReleaseReservation"] = new("httpTrigger", "reservations/{orderId}/release", ["post"]),
        ["AdjustStock"] = new("httpTrigger", "stock/adjustments", ["post"]),
        ["TransferStock"] = new("httpTrigger", "stock/transfers", ["post"]),
        ["ReceiveStock"] = new("httpTrigger", "stock/receipts", ["post"]),
        ["Health"] = new("httpTrigger", "health", ["get"]),
        ["OpenApi"] = new("httpTrigger", "openapi.json", ["get"]),
        ["ShopifyWebhook"] = new("httpTrigger", "webhooks/shopify", ["post"]),
        ["ShopifyAttention"] = new("httpTrigger", "webhooks/shopify/attention", ["get"]),
        ["ShopifyAttentionDismiss"] = new("httpTrigger", "webhooks/shopify/attention/{orderId}", ["delete"]),
        ["ExpireHolds"] = new("timerTrigger", null, [], "%HoldSweepSchedule%"),
        ["RecoverOrders"] = new("timerTrigger", null, [], "%RecoverOrdersSchedule%"),
        ["ArchiveLedger"] = new("timerTrigger", null, [], "%ArchiveLedgerSchedule%"),
        ["CreatePurchaseOrder"] = new("httpTrigger", "purchase-orders", ["post"]),
        ["GetPurchaseOrder"] = new("httpTrigger", "purchase-orders/{poId}", ["get"]),
        ["SendPurchaseOrder"] = new("httpTrigger", "purchase-orders/{poId}/send", ["post"]),
        ["ConfirmPurchaseOrder"] = new("httpTrigger", "purchase-orders/{poId}/confirm", ["post"]),
        ["CancelPurchaseOrder"] = new("httpTrigger", "purchase-orders/{poId}/cancel", ["post"]),
        ["GetQuarantine"] = new("httpTrigger", "quarantine/{queue}", ["get"]),
        ["DismissQuarantined"] = new("httpTrigger", "quarantine/{queue}/{quarantineId}", ["delete"]),
        ["GetLatestReplenishmentRun"] = new("httpTrigger", "replenishment/runs/latest", ["get"]),
        ["GetProductReplenishment"] = new("httpTrigger", "products/{productId}/replenishment", ["get"]),
        ["GetReplenishmentOutbox"] = new("httpTrigger", "replenishment/outbox", ["get"]),
        ["ReceivePurchaseOrder"] = new("serviceBusTrigger", null, []),
        ["HandlePurchaseOrderEvent"] = new("serviceBusTrigger", null, []),
        ["DailyReplenishmentScan"] = new("timerTrigger", null, [], "%ReplenishmentSchedule%"),
        ["ListProducts"] = new("httpTrigger", "products", ["get"]),
        ["RebuildCatalogIndex"] = new("httpTrigger", "catalog/index/rebuild", ["post"]),
        ["ListWarehouses"] = new("httpTrigger", "warehouses", ["get"]),
        ["ListLocationStock"] = new("httpTrigger", "warehouses/{warehouseId}/locations/{locationId}/stock", ["get"]),
        ["ListProductReservations"] = new("httpTrigger", "products/{productId}/reservations", ["get"]),
        ["ListPurchaseOrders"] = new("httpTrigger", "purchase-orders", ["get"]),
        ["PostStockCount"] = new("httpTrigger", "stock/counts", ["post"]),
        ["GetStockCount"] = new("httpTrigger", "stock/counts/{countId}", ["get"]),
        ["ResumeStockCounts"] = new("timerTrigger", null, [], "%RecoverOrdersSchedule%"),
        ["Console"] = new("httpTrigger", "console/{*file}", ["get"]),
    };

    /// <summary>The metadata of the Functions project built in the same configuration as these tests.</summary>
    public static Dictionary<string, Declared> Built()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(MetadataPath()));
        return document.RootElement.EnumerateArray().ToDictionary(f => f.GetProperty("name").GetString()!, f =>
        {
            var trigger = Trigger(f);
            return new Declared(trigger.GetProperty("type").GetString()!,
                trigger.TryGetProperty("route", out var r) ? r.GetString() : null,
                trigger.TryGetProperty("methods", out var m) ? m.EnumerateArray().Select(x => x.GetString()!).ToArray() : [],
                trigger.TryGetProperty("schedule", out var s) ? s.GetString() : null);
        });
    }

    /// <summary>Each function's trigger binding as written, for the bindings whose other properties matter.</summary>
    public static Dictionary<string, JsonElement> Triggers()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(MetadataPath()));
        return document.RootElement.EnumerateArray().ToDictionary(f => f.GetProperty("name").GetString()!, f => Trigger(f).Clone());
    }

    private static JsonElement Trigger(JsonElement function) =>
        function.GetProperty("bindings").EnumerateArray().Single(b => b.GetProperty("type").GetString()!.EndsWith("Trigger", StringComparison.Ordinal));

    private static string MetadataPath()
    {
        var baseDir = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = baseDir.Parent!.Name; // bin/{Configuration}/net10.0
        var root = baseDir;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Serverless.sln"))) root = root.Parent;
        Assert.NotNull(root);
        var path = Path.Combine(root.FullName, "functions", "Inventory.Functions", "bin", configuration, "net10.0", "functions.metadata");
        Assert.True(File.Exists(path), $"{path} is missing: build functions/Inventory.Functions in {configuration} first.");
        return path;
    }

    [Theory]
    [InlineData("ReceivePurchaseOrder", "%ReceiptsQueueName%")]
    [InlineData("HandlePurchaseOrderEvent", "%PurchaseOrderEventsQueueName%")]
    public void The_queue_functions_have_service_bus_trigger_bindings_the_host_extension_reads(string function, string queueName)
    {
        var trigger = Triggers()[function];
        Assert.Equal("serviceBusTrigger", trigger.GetProperty("type").GetString());
        Assert.Equal("in", trigger.GetProperty("direction").GetString(), ignoreCase: true);
        Assert.Equal(queueName, trigger.GetProperty("queueName").GetString());
        Assert.Equal("ServiceBusConnection", trigger.GetProperty("connection").GetString());
        Assert.Equal("message", trigger.GetProperty("name").GetString());
        Assert.Equal("One", trigger.GetProperty("cardinality").GetString(), ignoreCase: true);
        Assert.True(trigger.GetProperty("autoCompleteMessages").GetBoolean());
        Assert.Equal("String", trigger.GetProperty("dataType").GetString());
        // The bound parameter is the one the function reads, and the metadata it binds by name are its other parameters.
        var method = FunctionCatalog.Discover().Single(f => f.Name == function).Method;
        Assert.Equal(["message", "messageId", "deliveryCount", "ct"], method.GetParameters().Select(p => p.Name));
    }

    [Fact]
    public void The_nightly_scan_runs_on_its_schedule_setting_with_the_schedule_monitor()
    {
        var trigger = Triggers()["DailyReplenishmentScan"];
        Assert.Equal(("timerTrigger", "%ReplenishmentSchedule%"), (trigger.GetProperty("type").GetString(), trigger.GetProperty("schedule").GetString()));
        Assert.True(trigger.GetProperty("useMonitor").GetBoolean());
    }

    [Fact]
    public void Every_function_has_the_trigger_route_and_methods_of_the_API()
    {
        var built = Built();
        Assert.Equal(Expected.Keys.Order(), built.Keys.Order());
        foreach (var (name, expected) in Expected)
        {
            var actual = built[name];
            Assert.Equal((name, expected.Trigger, expected.Route, expected.Schedule), (name, actual.Trigger, actual.Route, actual.Schedule));
            Assert.Equal(expected.Methods, actual.Methods);
        }
    }

    [Fact]
    public void The_local_host_discovers_the_same_functions_as_the_Functions_host()
    {
        var built = Built();
        var discovered = FunctionCatalog.Discover();
        Assert.Equal(built.Keys.Order(), discovered.Select(f => f.Name).Order());
        foreach (var f in discovered.Where(f => f.Http is not null))
        {
            Assert.Equal(built[f.Name].Route, f.Http!.Route);
            Assert.Equal(built[f.Name].Methods.Select(m => m.ToUpperInvariant()), f.Http.Methods);
        }
    }
}
