using Inventory.Application.Catalog;
using Inventory.Application;
using Inventory.Functions.Api;
using Inventory.Functions.Api.Contracts;
using Inventory.Functions.OpenApi;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Inventory.Functions.Functions;

public sealed class ProductFunctions(SaveProduct saveProduct, CatalogQueries catalog)
{
    [Function("PutProduct")]
    [ApiOperation("Create or replace a product", RequestBody = typeof(ProductBody), Response = typeof(ProductResponse), Success = [201, 200], Tag = "catalog")]
    public Task<IActionResult> Put(
        [HttpTrigger(AuthorizationLevel.Function, "put", Route = "products/{productId}")] HttpRequest req, string productId, CancellationToken ct) =>
        ApiCall.RunAsync(req, async () =>
        {
            var body = await JsonBody.ReadAsync<ProductBody>(req, ct);
            var saved = await saveProduct.ExecuteAsync(body!.ToProduct(productId), ct);
            return JsonResponse.Saved(ProductResponse.From(saved.Value), saved.Created, $"/api/products/{productId}");
        });

    [Function("GetProduct")]
    [ApiOperation("Read a product", Response = typeof(ProductResponse), Tag = "catalog")]
    public Task<IActionResult> Get(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "products/{productId}")] HttpRequest req, string productId, CancellationToken ct) =>
        ApiCall.RunAsync(req, async () => JsonResponse.Ok(ProductResponse.From(await catalog.GetProductAsync(productId, ct))));
}
