using Inventory.Application;
using Inventory.Application.Counts;
using Inventory.Domain;
using Inventory.Functions.Api;
using Inventory.Functions.Api.Contracts;
using Inventory.Functions.OpenApi;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Inventory.Functions.Functions;

public sealed class StockCountFunctions(StockCount stockCount, RecordedCounts recordedCounts)
{
    /// <summary>A count file of 20,000 rows (the most one call takes) fits with room to spare.</summary>
    public const int LimitBytes = 4 * 1024 * 1024;

    [Function("PostStockCount")]
    [ApiOperation("Apply a cycle count: every row a counted adjustment, each reported on its own",
        Description = "Body: text/csv (header row; columns locationId, productId or sku, countedQuantity, optional reasonCode) with ?countId=, "
            + "or application/json {countId, rows: [...]}. Rows are independent: a bad row is reported with its line and the others go on. "
            + "Up to Counts__InRequestRows rows (default 1,000) the count is applied at once and answered whole (200, every row's outcome); "
            + "the same countId again changes nothing (rows answer REPLAYED). A larger count (up to 20,000 rows, 4 MiB) is recorded first, "
            + "applied for up to Counts__InRequestSeconds, and answered with its status: 200 when it completed, else 202 Accepted with "
            + "Location: /api/stock/counts/{countId}, where it is carried on without the client. The same countId again answers the status "
            + "and never applies twice; with other rows, 409 count-conflict.",
        RequestBody = typeof(CountBody), AlsoConsumes = ["text/csv"], Response = typeof(CountResultResponse), OrResponse = typeof(CountStatusResponse),
        Success = [200, 202], Query = ["countId", "performedBy"], Tag = "stock")]
    public Task<IActionResult> Post(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "stock/counts")] HttpRequest req, CancellationToken ct) =>
        ApiCall.RunAsync(req, async () =>
        {
            var countId = req.Query["countId"].ToString() is { Length: > 0 } q ? q : null;
            var bytes = await JsonBody.ReadBytesAsync(req, LimitBytes, ct);
            CountCommand command;
            if (IsCsv(req.ContentType))
            {
                Required.Present("countId", countId).ThrowIfAny();
                var performedBy = req.Query["performedBy"].ToString() is { Length: > 0 } p ? p : "api";
                command = new CountCommand(countId!, CountCsv.Read(bytes), performedBy);
            }
            else if (IsJson(req.ContentType))
            {
                var body = JsonBody.Parse<CountBody>(bytes) ?? throw new ValidationException("body", "must be a JSON object");
                command = body.ToCommand(countId);
            }
            else throw new ValidationException("Content-Type", $"must be text/csv or application/json, not '{req.ContentType}'");
            var answer = await stockCount.SubmitAsync(command, ct);
            return answer.Status is { } status ? StatusResponse(status, accepted: status.Status != CountState.Completed) : JsonResponse.Ok(CountResultResponse.From(answer.Result!));
        });

    [Function("GetStockCount")]
    [ApiOperation("Where a recorded (large) count stands: its status, counts of rows by outcome, and a page of the rows' outcomes",
        Description = "status PENDING (recorded, not started), RUNNING, or COMPLETED. results holds the outcomes recorded so far, in file order, "
            + "pageSize rows at most (default 100, at most 1,000); follow continuationToken for the next page. A count applied within its "
            + "request (at most Counts__InRequestRows rows) is not recorded: 404 count-not-found.",
        Response = typeof(CountStatusResponse), Query = ["pageSize", "continuationToken"], Tag = "stock")]
    public Task<IActionResult> Get(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "stock/counts/{countId}")] HttpRequest req, string countId, CancellationToken ct) =>
        ApiCall.RunAsync(req, async () =>
        {
            var q = new ListQuery(req);
            var (size, token) = (q.PageSize, q.Token);
            q.ThrowIfAny();
            return StatusResponse(await recordedCounts.StatusAsync(countId, token, size, ct), accepted: false);
        });

    /// <summary>A recorded count's status: the token made opaque as the lists' are, and where to poll.</summary>
    private static JsonResponse StatusResponse(CountStatus status, bool accepted)
    {
        var location = "/api/stock/counts/" + Uri.EscapeDataString(status.CountId);
        return new JsonResponse(accepted ? StatusCodes.Status202Accepted : StatusCodes.Status200OK, CountStatusResponse.From(status, location,
            accepted ? $"The count is recorded and is being applied; GET {location} for its progress and each row's outcome." : null))
            .WithHeader("Location", location);
    }

    private static bool IsCsv(string? contentType) => contentType?.StartsWith("text/csv", StringComparison.OrdinalIgnoreCase) == true;

    private static bool IsJson(string? contentType) => contentType is null or ""
        || contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase);
}
