using Inventory.Application;
using Inventory.Application.Lists;
using Inventory.Domain;
using Inventory.Functions.Api;
using Inventory.Functions.Api.Contracts;
using Inventory.Functions.OpenApi;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Inventory.Functions.Functions;

/// <summary>The operator lists: paged, filtered, {"items": [...], "continuationToken": ...}. Cross-partition reads, bounded by the page size.</summary>
public sealed class ListFunctions(ProductList productList, WarehouseList warehouseList, LocationContents locationContents, ProductReservations productReservations, PurchaseOrderList purchaseOrderList)
{
    private const string Paging = "A page may hold fewer items than pageSize, even none, while a continuationToken remains: follow it to the end.";

    [Function("ListProducts")]
    [ApiOperation("List products by SKU, category, active flag, or low stock (available at or below the reorder point)", Description = Paging,
        Response = typeof(ListResponse<ProductSummaryResponse>), Query = ["sku", "categoryId", "isActive", "lowStock", "pageSize", "continuationToken"], Tag = "operators")]
    public Task<IActionResult> Products(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "products")] HttpRequest req, CancellationToken ct) =>
        ApiCall.RunAsync(req, async () =>
        {
            var q = new ListQuery(req);
            var (filter, size, token) = (new ProductFilter(q.Text("sku"), q.Text("categoryId"), q.Bool("isActive"), q.Bool("lowStock") ?? false), q.PageSize, q.Token);
            q.ThrowIfAny();
            return JsonResponse.Ok(ListResponse.From(await productList.ListAsync(filter, size, token, ct), ProductSummaryResponse.From));
        });

    [Function("ListWarehouses")]
    [ApiOperation("List warehouses", Description = Paging, Response = typeof(ListResponse<WarehouseSummaryResponse>), Query = ["pageSize", "continuationToken"], Tag = "operators")]
    public Task<IActionResult> Warehouses(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "warehouses")] HttpRequest req, CancellationToken ct) =>
        ApiCall.RunAsync(req, async () =>
        {
            var q = new ListQuery(req);
            var (size, token) = (q.PageSize, q.Token);
            q.ThrowIfAny();
            return JsonResponse.Ok(ListResponse.From(await warehouseList.ListAsync(size, token, ct), WarehouseSummaryResponse.From));
        });

    [Function("ListLocationStock")]
    [ApiOperation("What a location holds: every product with a balance there (on hand, reserved, available)", Description = Paging,
        Response = typeof(ListResponse<LocationStockItemResponse>), Query = ["pageSize", "continuationToken"], Tag = "operators")]
    public Task<IActionResult> LocationStock(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "warehouses/{warehouseId}/locations/{locationId}/stock")] HttpRequest req,
        string warehouseId, string locationId, CancellationToken ct) =>
        ApiCall.RunAsync(req, async () =>
        {
            var q = new ListQuery(req);
            var (size, token) = (q.PageSize, q.Token);
            q.ThrowIfAny();
            return JsonResponse.Ok(ListResponse.From(await locationContents.ListAsync(warehouseId, locationId, size, token, ct), LocationStockItemResponse.From));
        });

    [Function("ListProductReservations")]
    [ApiOperation("A product's reservations, optionally of one status (ACTIVE: still holding stock)", Description = Paging,
        Response = typeof(ListResponse<ProductReservationItemResponse>), Query = ["status", "pageSize", "continuationToken"], Tag = "operators")]
    public Task<IActionResult> Reservations(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "products/{productId}/reservations")] HttpRequest req, string productId, CancellationToken ct) =>
        ApiCall.RunAsync(req, async () =>
        {
            var q = new ListQuery(req);
            var (status, size, token) = (q.Enum<ReservationStatus>("status"), q.PageSize, q.Token);
            q.ThrowIfAny();
            return JsonResponse.Ok(ListResponse.From(await productReservations.ListAsync(productId, status, size, token, ct), ProductReservationItemResponse.From));
        });

    [Function("ListPurchaseOrders")]
    [ApiOperation("List purchase orders by status, supplier, or product on a line", Description = Paging,
        Response = typeof(ListResponse<PurchaseOrderResponse>), Query = ["status", "supplierId", "productId", "pageSize", "continuationToken"], Tag = "operators")]
    public Task<IActionResult> PurchaseOrders(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "purchase-orders")] HttpRequest req, CancellationToken ct) =>
        ApiCall.RunAsync(req, async () =>
        {
            var q = new ListQuery(req);
            var filter = new PurchaseOrderFilter(q.Enum<PurchaseOrderStatus>("status"), q.Text("supplierId"), q.Text("productId"));
            var (size, token) = (q.PageSize, q.Token);
            q.ThrowIfAny();
            return JsonResponse.Ok(ListResponse.From(await purchaseOrderList.ListAsync(filter, size, token, ct), PurchaseOrderResponse.From));
        });
}
