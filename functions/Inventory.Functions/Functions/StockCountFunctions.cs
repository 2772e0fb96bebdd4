using Inventory.Application;
using Inventory.Application.Counts;
using Inventory.Domain;
using Inventory.Functions.Api;
using Inventory.Functions.OpenApi;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Inventory.Functions.Functions;

public sealed class StockCountFunctions(InventoryApplication app)
{
    /// <summary>A count file of 20,000 rows (the most one call takes) fits with room to spare.</summary>
    public const int LimitBytes = 4 * 1024 * 1024;

    [Function("PostStockCount")]
    [ApiOperation("Apply a cycle count: every row a counted adjustment, each reported on its own",
        Description = "Body: text/csv (header row; columns locationId, productId or sku, countedQuantity, optional reasonCode) with ?countId=, "
            + "or application/json {countId, rows: [...]}. Rows are independent: a bad row is reported with its line and the others go on. "
            + "The same countId again changes nothing (rows answer REPLAYED). Up to 20,000 rows, 4 MiB.",
        RequestBody = typeof(CountBody), Response = typeof(CountResult), Query = ["countId", "performedBy"], Tag = "stock")]
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
            return JsonResponse.Ok(await app.StockCount.ExecuteAsync(command, ct));
        });

    private static bool IsCsv(string? contentType) => contentType?.StartsWith("text/csv", StringComparison.OrdinalIgnoreCase) == true;

    private static bool IsJson(string? contentType) => contentType is null or ""
        || contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase);
}
