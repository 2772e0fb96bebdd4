using Microsoft.Extensions.Configuration;

namespace Inventory.Functions.Messaging;

/// <summary>
/// The queues of the app, named by flat app settings (<c>ReceiptsQueueName</c>, ...). The triggers' <c>%ReceiptsQueueName%</c>
/// must be a plain app setting: the platform's scale controller resolves it from the app settings without the host's
/// configuration, where a nested name (<c>Queues:Receipts</c>) would not resolve and the queue would never be watched.
/// </summary>
public sealed class QueueNames
{
    public const string ServiceBusConnection = "ServiceBusConnection";
    public const string ReceiptsSetting = "ReceiptsQueueName";
    public const string PurchaseOrderEventsSetting = "PurchaseOrderEventsQueueName";
    public const string PurchaseOrdersSetting = "PurchaseOrdersQueueName";

    public string Receipts { get; init; } = "receipts";
    public string PurchaseOrderEvents { get; init; } = "purchase-order-events";
    public string PurchaseOrders { get; init; } = "purchase-orders";

    public static QueueNames From(IConfiguration configuration)
    {
        var defaults = new QueueNames();
        return new QueueNames
        {
            Receipts = Value(configuration, ReceiptsSetting) ?? defaults.Receipts,
            PurchaseOrderEvents = Value(configuration, PurchaseOrderEventsSetting) ?? defaults.PurchaseOrderEvents,
            PurchaseOrders = Value(configuration, PurchaseOrdersSetting) ?? defaults.PurchaseOrders,
        };
    }

    private static string? Value(IConfiguration configuration, string name) => configuration[name] is { Length: > 0 } v ? v : null;
}
