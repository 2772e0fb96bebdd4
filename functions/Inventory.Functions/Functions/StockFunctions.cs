using System.Globalization;
using Inventory.Application;
using Inventory.Application.Stock;
using Inventory.Domain;
using Inventory.Functions.Api;
using Inventory.Functions.Api.Contracts;
using Inventory.Functions.OpenApi;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Inventory.Functions.Functions;

public sealed class StockFunctions(StockQueries stock, InvariantChecker invariants, AdjustStock adjust, TransferStock transfer, ReceiveStock receive)
{
    [Function("GetStock")]
    [ApiOperation("Stock of a product: totals and per location", Response = typeof(StockResponse), Tag = "stock")]
    public Task<IActionResult> Get(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "products/{productId}/stock")] HttpRequest req, string productId, CancellationToken ct) =>
        ApiCall.RunAsync(req, async () => JsonResponse.Ok(StockResponse.From(await stock.GetStockAsync(productId, ct))));

    [Function("GetTransactions")]
    [ApiOperation("The ledger of a product, newest first, paged", Response = typeof(LedgerResponse), Query = ["pageSize", "continuationToken"], Tag = "stock")]
    public Task<IActionResult> Ledger(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "products/{productId}/transactions")] HttpRequest req, string productId, CancellationToken ct) =>
        ApiCall.RunAsync(req, async () =>
        {
            var size = req.Query["pageSize"].ToString();
            var pageSize = size.Length == 0 ? 100 : int.TryParse(size, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0;
            var page = await stock.GetLedgerAsync(productId, pageSize, PageToken.Decode(req.Query["continuationToken"]), ct);
            return JsonResponse.Ok(LedgerResponse.From(productId, page));
        });

    [Function("AuditProduct")]
    [ApiOperation("Runs the invariant checker on a product from its latest ledger checkpoint; full=true walks the whole ledger, checkpoint to checkpoint, paged",
        Response = typeof(AuditResponse), Query = ["full", "continuationToken"], Tag = "stock")]
    public Task<IActionResult> Audit(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "products/{productId}/audit")] HttpRequest req, string productId, CancellationToken ct) =>
        ApiCall.RunAsync(req, async () =>
        {
            var full = req.Query["full"].ToString();
            var token = req.Query["continuationToken"].ToString();
            new Guard().Id("productId", productId)
                .That(full is "" or "true" or "false", "full", "must be true or false")
                .That(token.Length == 0 || full == "true", "continuationToken", "continues a full audit only (full=true)").ThrowIfAny();
            var report = full == "true"
                ? await invariants.CheckFullAsync(productId, PageToken.Decode(token), ct)
                : await invariants.CheckAsync(productId, ct);
            return JsonResponse.Ok(AuditResponse.From(report));
        });

    [Function("AdjustStock")]
    [ApiOperation("Adjust on-hand at a location by a delta or to a counted quantity", RequestBody = typeof(AdjustmentBody),
        Response = typeof(MovementResponse), Success = [201, 200], Tag = "stock")]
    public Task<IActionResult> Adjust(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "stock/adjustments")] HttpRequest req, CancellationToken ct) =>
        ApiCall.RunAsync(req, async () =>
        {
            var command = (await JsonBody.ReadAsync<AdjustmentBody>(req, ct))!.ToCommand();
            return Moved(command.ProductId, await adjust.ExecuteAsync(command, ct));
        });

    [Function("TransferStock")]
    [ApiOperation("Move available stock between two locations", RequestBody = typeof(TransferBody), Response = typeof(MovementResponse),
        Success = [201, 200], Tag = "stock")]
    public Task<IActionResult> Transfer(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "stock/transfers")] HttpRequest req, CancellationToken ct) =>
        ApiCall.RunAsync(req, async () =>
        {
            var command = (await JsonBody.ReadAsync<TransferBody>(req, ct))!.ToCommand();
            return Moved(command.ProductId, await transfer.ExecuteAsync(command, ct));
        });

    [Function("ReceiveStock")]
    [ApiOperation("Receive units directly into a location", RequestBody = typeof(ReceiptBody), Response = typeof(MovementResponse),
        Success = [201, 200], Tag = "stock")]
    public Task<IActionResult> Receive(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "stock/receipts")] HttpRequest req, CancellationToken ct) =>
        ApiCall.RunAsync(req, async () =>
        {
            var command = (await JsonBody.ReadAsync<ReceiptBody>(req, ct))!.ToCommand();
            return Moved(command.ProductId, await receive.ExecuteAsync(command, ct));
        });

    /// <summary>201 when this call applied the movement, 200 when it was a replay of one already applied.</summary>
    private static JsonResponse Moved(string productId, MovementResult result) =>
        JsonResponse.Saved(MovementResponse.From(productId, result), !result.Replayed, $"/api/products/{productId}/transactions");
}
