using Inventory.Application.Catalog;
using Inventory.Application;
using Inventory.Functions.Api;
using Inventory.Functions.Api.Contracts;
using Inventory.Functions.OpenApi;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Location = Inventory.Domain.Location;
using Warehouse = Inventory.Domain.Warehouse;

namespace Inventory.Functions.Functions;

public sealed class WarehouseFunctions(SaveWarehouse saveWarehouse, CatalogQueries catalog, SaveLocation saveLocation)
{
    [Function("PutWarehouse")]
    [ApiOperation("Create or replace a warehouse (its locations are kept)", RequestBody = typeof(WarehouseBody), Response = typeof(WarehouseSummaryResponse),
        Success = [201, 200], Tag = "catalog")]
    public Task<IActionResult> Put(
        [HttpTrigger(AuthorizationLevel.Function, "put", Route = "warehouses/{warehouseId}")] HttpRequest req, string warehouseId, CancellationToken ct) =>
        ApiCall.RunAsync(req, async () =>
        {
            var body = await JsonBody.ReadAsync<WarehouseBody>(req, ct);
            var saved = await saveWarehouse.ExecuteAsync(body!.ToWarehouse(warehouseId), ct);
            return JsonResponse.Saved(WarehouseSummaryResponse.From(saved.Value), saved.Created, $"/api/warehouses/{warehouseId}");
        });

    [Function("GetWarehouse")]
    [ApiOperation("Read a warehouse with its locations", Response = typeof(WarehouseResponse), Tag = "catalog")]
    public Task<IActionResult> Get(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "warehouses/{warehouseId}")] HttpRequest req, string warehouseId, CancellationToken ct) =>
        ApiCall.RunAsync(req, async () => JsonResponse.Ok(WarehouseResponse.From(await catalog.GetWarehouseAsync(warehouseId, ct))));

    [Function("PutLocation")]
    [ApiOperation("Create or replace a location of a warehouse", RequestBody = typeof(LocationBody), RequestBodyOptional = true, Response = typeof(LocationResponse),
        Success = [201, 200], Tag = "catalog")]
    public Task<IActionResult> PutLocation(
        [HttpTrigger(AuthorizationLevel.Function, "put", Route = "warehouses/{warehouseId}/locations/{locationId}")] HttpRequest req,
        string warehouseId, string locationId, CancellationToken ct) =>
        ApiCall.RunAsync(req, async () =>
        {
            var body = await JsonBody.ReadAsync<LocationBody>(req, ct, optional: true) ?? new LocationBody(null, null, null, null, null, null, null, null, null);
            var saved = await saveLocation.ExecuteAsync(body.ToLocation(warehouseId, locationId), ct);
            return JsonResponse.Saved(LocationResponse.From(saved.Value), saved.Created, $"/api/warehouses/{warehouseId}/locations/{locationId}");
        });
}
