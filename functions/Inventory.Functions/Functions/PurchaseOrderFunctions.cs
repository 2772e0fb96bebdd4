using Inventory.Application;
using Inventory.Application.Purchasing;
using Inventory.Functions.Api;
using Inventory.Functions.Api.Contracts;
using Inventory.Functions.OpenApi;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Inventory.Functions.Functions;

public sealed class PurchaseOrderFunctions(CreatePurchaseOrder createPurchaseOrder, PurchaseOrderBook purchaseOrders, ChangePurchaseOrderStatus changePurchaseOrderStatus)
{
    [Function("CreatePurchaseOrder")]
    [ApiOperation("Create a purchase order (DRAFT)", Description = "201 with the order; the same poId again is 200 with the order as it is, nothing created twice.",
        RequestBody = typeof(PurchaseOrderBody), Response = typeof(PurchaseOrderResponse), Success = [201, 200], Tag = "purchasing")]
    public Task<IActionResult> Create(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "purchase-orders")] HttpRequest req, CancellationToken ct) =>
        ApiCall.RunAsync(req, async () =>
        {
            var (order, created) = await createPurchaseOrder.ExecuteAsync((await JsonBody.ReadAsync<PurchaseOrderBody>(req, ct))!.ToCommand(), ct);
            return JsonResponse.Saved(PurchaseOrderResponse.From(order), created, $"/api/purchase-orders/{order.PoId}");
        });

    [Function("GetPurchaseOrder")]
    [ApiOperation("Read a purchase order: status, lines with ordered and received quantities", Response = typeof(PurchaseOrderResponse), Tag = "purchasing")]
    public Task<IActionResult> Get(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "purchase-orders/{poId}")] HttpRequest req, string poId, CancellationToken ct) =>
        ApiCall.RunAsync(req, async () => JsonResponse.Ok(PurchaseOrderResponse.From(await purchaseOrders.GetAsync(poId, ct))));

    [Function("SendPurchaseOrder")]
    [ApiOperation("DRAFT → SENT", Response = typeof(PurchaseOrderResponse), Tag = "purchasing")]
    public Task<IActionResult> Send(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "purchase-orders/{poId}/send")] HttpRequest req, string poId, CancellationToken ct) =>
        Change(req, poId, PurchaseOrderAction.Send, ct);

    [Function("ConfirmPurchaseOrder")]
    [ApiOperation("SENT → CONFIRMED (receipts are accepted from here on)", Response = typeof(PurchaseOrderResponse), Tag = "purchasing")]
    public Task<IActionResult> Confirm(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "purchase-orders/{poId}/confirm")] HttpRequest req, string poId, CancellationToken ct) =>
        Change(req, poId, PurchaseOrderAction.Confirm, ct);

    [Function("CancelPurchaseOrder")]
    [ApiOperation("Cancel an order not yet fully received", Response = typeof(PurchaseOrderResponse), Tag = "purchasing")]
    public Task<IActionResult> Cancel(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "purchase-orders/{poId}/cancel")] HttpRequest req, string poId, CancellationToken ct) =>
        Change(req, poId, PurchaseOrderAction.Cancel, ct);

    /// <summary>200 with the order moved; a move its status does not allow is a 409 invalid-transition problem.</summary>
    private Task<IActionResult> Change(HttpRequest req, string poId, PurchaseOrderAction action, CancellationToken ct) =>
        ApiCall.RunAsync(req, async () => JsonResponse.Ok(PurchaseOrderResponse.From(await changePurchaseOrderStatus.ExecuteAsync(poId, action, ct))));
}
