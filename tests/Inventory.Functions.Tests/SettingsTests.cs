using Inventory.Application;
using Inventory.Application.Replenishment;
using Inventory.Functions.Messaging;
using Inventory.Storage;
using Inventory.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Inventory.Functions.Tests;

/// <summary>The replenishment, receiving and Service Bus settings reach the application; bad values stop start-up with the setting's name.</summary>
public sealed class SettingsTests
{
    private static InventoryApplication App(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddLogging().AddInventory(configuration);
        services.AddSingleton<IDocumentStore>(new InMemoryDocumentStore());
        var app = InventoryApplication.From(services.BuildServiceProvider());
        _ = (app.ReplenishmentOptions, app.OverReceiptTolerancePercent, app.OrderOptions, app.CountOptions, app.Concurrency, app.EscrowOptions); // resolved as the use cases resolve them
        return app;
    }

    [Fact]
    public void Replenishment_and_receiving_settings_are_the_application_options()
    {
        var app = App(new()
        {
            ["Replenishment:DemandWindowDays"] = "14", ["Replenishment:DefaultWarehouseId"] = "wh-main",
            ["Replenishment:ScanPageSize"] = "50", ["Replenishment:ScanParallelism"] = "4", ["Receiving:OverReceiptTolerancePercent"] = "2.5",
        });

        Assert.Equal(new ReplenishmentOptions { DemandWindowDays = 14, DefaultWarehouseId = "wh-main", ScanPageSize = 50, ScanParallelism = 4 }, app.ReplenishmentOptions);
        Assert.Equal(2.5m, app.OverReceiptTolerancePercent);
        Assert.Equal(2.5m, app.ReceivePurchaseOrder.OverReceiptTolerancePercent);
    }

    [Fact]
    public void The_concurrency_section_reaches_the_commit_protocol()
    {
        var app = App(new() { ["Concurrency:Coalesce"] = "false", ["Concurrency:MaxAttempts"] = "7", ["Concurrency:CoalescingWindow"] = "00:00:00.005" });
        Assert.Equal((false, 7, TimeSpan.FromMilliseconds(5)), (app.Concurrency.Coalesce, app.Concurrency.MaxAttempts, app.Concurrency.CoalescingWindow));
        Assert.True(App([]).Concurrency.Coalesce);
    }

    [Fact]
    public void The_escrow_section_names_the_hot_products_and_their_buckets()
    {
        var app = App(new()
        {
            ["Escrow:Products"] = "HOT-1, HOT-2", ["Escrow:Buckets"] = "8", ["Escrow:Bucket"] = "3", ["Escrow:Automatic"] = "true", ["Escrow:CooldownSeconds"] = "120",
        });

        Assert.Equal(["HOT-1", "HOT-2"], app.EscrowOptions.Products.Order(StringComparer.Ordinal));
        Assert.Equal((8, 3, true, TimeSpan.FromMinutes(2)), (app.EscrowOptions.Buckets, app.EscrowOptions.Bucket, app.EscrowOptions.Automatic, app.EscrowOptions.Cooldown));
        Assert.Equal(new Domain.EscrowBucket("HOT-2", 3), app.Escrow.BucketFor("HOT-2"));
        Assert.Null(app.Escrow.BucketFor("COLD"));
        Assert.Empty(App([]).EscrowOptions.Products); // unset: no product in escrow
        Assert.False(App([]).EscrowOptions.Automatic);
    }

    [Fact]
    public void The_local_sample_values_are_the_defaults()
    {
        var app = App(new() { ["Replenishment:DefaultWarehouseId"] = "", ["Receiving:OverReceiptTolerancePercent"] = "0" });
        Assert.Equal(new ReplenishmentOptions(), app.ReplenishmentOptions);
        Assert.Equal(0m, app.OverReceiptTolerancePercent);
    }

    [Theory]
    [InlineData("Replenishment:ScanParallelism", "0")]
    [InlineData("Replenishment:ScanPageSize", "5000")]
    [InlineData("Replenishment:DemandWindowDays", "0")]
    [InlineData("Receiving:OverReceiptTolerancePercent", "-1")]
    [InlineData("Escrow:Buckets", "0")]
    [InlineData("Escrow:Buckets", "65")]
    [InlineData("Escrow:CooldownSeconds", "0")]
    [InlineData("Escrow:Products", "SKU-1,not an id")]
    public void An_out_of_range_value_names_its_setting(string setting, string value) =>
        Assert.Contains(setting, Assert.Throws<InvalidOperationException>(() => App(new() { [setting] = value })).Message, StringComparison.Ordinal);

    [Fact]
    public void Without_ServiceBusConnection_raised_orders_go_to_the_store_outbox() =>
        Assert.IsType<OutboxPublisher>(App(new()).Publisher);

    [Theory]
    [InlineData("ServiceBusConnection", "Endpoint=sb://localhost;SharedAccessKeyName=k;SharedAccessKey=c2VjcmV0;UseDevelopmentEmulator=true;")]
    [InlineData("ServiceBusConnection:fullyQualifiedNamespace", "sb-test.servicebus.windows.net")]
    public void With_ServiceBusConnection_raised_orders_go_to_the_purchase_orders_queue(string setting, string value) =>
        Assert.IsType<ServiceBusPurchaseOrderPublisher>(App(new() { [setting] = value }).Publisher);
}
