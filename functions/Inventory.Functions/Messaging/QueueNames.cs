namespace Inventory.Functions.Messaging;

/// <summary>The queues of the app (section <c>Queues</c>, app settings <c>Queues__Receipts</c>, ...), named as the triggers resolve them.</summary>
public sealed class QueueNames
{
    public const string Section = "Queues";
    public const string ServiceBusConnection = "ServiceBusConnection";

    public string Receipts { get; set; } = "receipts";
    public string PurchaseOrderEvents { get; set; } = "purchase-order-events";
    public string PurchaseOrders { get; set; } = "purchase-orders";
}
