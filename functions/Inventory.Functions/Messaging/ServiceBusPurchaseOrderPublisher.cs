using System.Text.Json;
using Azure.Messaging.ServiceBus;
using Inventory.Application.Replenishment;
using Inventory.Domain;
using Inventory.Functions.Api;
using Inventory.Functions.Api.Contracts;

namespace Inventory.Functions.Messaging;

/// <summary>
/// Sends the purchase orders replenishment raises to the queue <c>PurchaseOrdersQueueName</c>, as the JSON that
/// GET /api/purchase-orders/{poId} returns. MessageId is the poId: the queue's duplicate detection drops a re-publish
/// after a crash, which is what makes publishing safe to repeat.
/// </summary>
public sealed class ServiceBusPurchaseOrderPublisher(ServiceBusSender sender) : IPurchaseOrderPublisher
{
    public const string Subject = "PurchaseOrderRaised";

    public Task PublishAsync(PurchaseOrder order, CancellationToken ct = default) => sender.SendMessageAsync(Message(order), ct);

    public static ServiceBusMessage Message(PurchaseOrder order) =>
        new(BinaryData.FromBytes(JsonSerializer.SerializeToUtf8Bytes(PurchaseOrderResponse.From(order), ApiJson.Responses)))
        {
            MessageId = order.PoId,
            ContentType = "application/json",
            Subject = Subject,
        };
}
