using Inventory.Application;
using Inventory.Application.Purchasing;
using Inventory.Functions.Api;
using Inventory.Functions.Api.Contracts;
using Inventory.Functions.Messaging;
using Inventory.Functions.Messaging.Contracts;
using Inventory.Functions.OpenApi;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
// The project's own trigger (the Service Bus worker package, with an attribute of the same name, is never referenced).
using ServiceBusTriggerAttribute = Inventory.Functions.Messaging.ServiceBusTriggerAttribute;

namespace Inventory.Functions.Functions;

/// <summary>Receipts and supplier events from Service Bus, and the operator's view of the messages quarantined as poison.</summary>
public sealed class ReceivingFunctions(ReceivePurchaseOrder receivePurchaseOrder, HandlePurchaseOrderEvent handlePurchaseOrderEvent, Quarantine quarantine, QueueIntake intake, QueueNames queues)
{
    /// <summary>A warehouse's receipt against a purchase order: stock put away, the order to PARTIAL or RECEIVED.</summary>
    [Function("ReceivePurchaseOrder")]
    public Task ReceivePurchaseOrder(
        [ServiceBusTrigger("%ReceiptsQueueName%", Connection = QueueNames.ServiceBusConnection, IsBatched = false, AutoCompleteMessages = true)] string message,
        string messageId, int deliveryCount, CancellationToken ct) =>
        intake.HandleAsync<ReceiptMessageBody>(queues.Receipts, message, messageId, deliveryCount, async (body, token) =>
        {
            var outcome = await receivePurchaseOrder.ExecuteAsync(body.ToMessage(), token);
            return outcome.AlreadyApplied ? $"receipt {body.ReceiptId} already applied; {outcome.Order.PoId} is {outcome.Order.Status}"
                : $"receipt {body.ReceiptId} applied; {outcome.Order.PoId} is {outcome.Order.Status}; put away: "
                  + string.Join(", ", outcome.Lines.Select(l => $"{l.ProductId}×{l.Quantity}→{l.LocationId}{(l.Overflowed ? $" (OVERFLOW: {l.Reason})" : "")}"));
        }, ct);

    /// <summary>A supplier's event (Sent, Confirmed, Cancelled) applied to its purchase order.</summary>
    [Function("HandlePurchaseOrderEvent")]
    public Task HandlePurchaseOrderEvent(
        [ServiceBusTrigger("%PurchaseOrderEventsQueueName%", Connection = QueueNames.ServiceBusConnection, IsBatched = false, AutoCompleteMessages = true)] string message,
        string messageId, int deliveryCount, CancellationToken ct) =>
        intake.HandleAsync<PurchaseOrderEventBody>(queues.PurchaseOrderEvents, message, messageId, deliveryCount, async (body, token) =>
        {
            var order = await handlePurchaseOrderEvent.ExecuteAsync(body.ToEvent(), token);
            return $"event {body.EventId} ({body.Type}); {order.PoId} is {order.Status}";
        }, ct);

    [Function("GetQuarantine")]
    [ApiOperation("Messages of a queue kept as poison, with reason, description, body and delivery count (paged)", Response = typeof(QuarantineResponse),
        Query = ["pageSize", "continuationToken"], Tag = "purchasing")]
    public Task<IActionResult> Quarantined(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "quarantine/{queue}")] HttpRequest req, string queue, CancellationToken ct) =>
        ApiCall.RunAsync(req, async () =>
        {
            new Domain.Guard().Id("queue", queue).ThrowIfAny();
            var query = new ListQuery(req);
            var (pageSize, token) = (query.PageSize, query.Token);
            query.ThrowIfAny();
            if (UnknownQueue(queue, req) is { } unknown) return unknown;
            var (messages, next) = await quarantine.PageAsync(queue, pageSize, token, ct);
            return JsonResponse.Ok(QuarantineResponse.From(queue, messages, next));
        });

    [Function("DismissQuarantined")]
    [ApiOperation("Dismiss a quarantined message once handled, by the quarantineId its listing gives (204; 404 message-not-found, queue-not-found)",
        Description = "A message quarantined again since it was listed (a redelivery) is refused with 409 invalid-state: read it again.",
        Success = [204], Tag = "purchasing")]
    public Task<IActionResult> DismissQuarantined(
        [HttpTrigger(AuthorizationLevel.Function, "delete", Route = "quarantine/{queue}/{quarantineId}")] HttpRequest req, string queue, string quarantineId,
        CancellationToken ct) =>
        ApiCall.RunAsync(req, async () =>
        {
            new Domain.Guard().Id("queue", queue).ThrowIfAny(); // a quarantineId of another shape than a listing gives names nothing: 404
            if (UnknownQueue(queue, req) is { } unknown) return unknown;
            await quarantine.DismissAsync(queue, quarantineId, ct);
            return JsonResponse.NoContent();
        });

    /// <summary>A queue this app does not read has no quarantine: a typo must not read as "no poison messages".</summary>
    private JsonResponse? UnknownQueue(string queue, HttpRequest req) =>
        queue != queues.Receipts && queue != queues.PurchaseOrderEvents
            ? Problems.Of("queue-not-found", $"No queue '{queue}' is read by this app (it reads '{queues.Receipts}' and '{queues.PurchaseOrderEvents}').", req)
            : null;
}
