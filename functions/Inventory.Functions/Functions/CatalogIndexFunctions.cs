using Inventory.Application;
using Inventory.Application.Catalog;
using Inventory.Functions.Api;
using Inventory.Functions.Api.Contracts;
using Inventory.Functions.OpenApi;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Inventory.Functions.Functions;

public sealed class CatalogIndexFunctions(CatalogBackfill catalogBackfill)
{
    /// <summary>
    /// The catalogue index backfill, for products saved before the index existed: one page of product partitions per
    /// call; call again with the token until it is null. Admin level (the host's master key): it scans the Products collection.
    /// </summary>
    [Function("RebuildCatalogIndex")]
    [ApiOperation("Backfill the catalogue index from the products (an operator's one-off after upgrading): one page per call, follow the token",
        Response = typeof(CatalogBackfillResponse), Query = ["pageSize", "continuationToken"], Tag = "operators")]
    public Task<IActionResult> Rebuild(
        [HttpTrigger(AuthorizationLevel.Admin, "post", Route = "catalog/index/rebuild")] HttpRequest req, CancellationToken ct) =>
        ApiCall.RunAsync(req, async () =>
        {
            var q = new ListQuery(req);
            var (size, token) = (q.Text("pageSize") is null ? CatalogBackfill.DefaultPageSize : q.PageSize, q.Token);
            q.ThrowIfAny();
            var page = await catalogBackfill.RunPageAsync(size, token, ct);
            return JsonResponse.Ok(new CatalogBackfillResponse(page.Products, page.RowsWritten, PageToken.Encode(page.ContinuationToken)));
        });
}
