using Inventory.Application;
using Inventory.Application.Orders;
using Inventory.Functions.Api;
using Inventory.Functions.Api.Contracts;
using Inventory.Functions.OpenApi;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Inventory.Functions.Functions;

public sealed class ReservationFunctions(ReserveStock reserve, OrderHeaders orderHeaders, FulfillReservation fulfill, ReleaseReservation release)
{
    [Function("CreateReservation")]
    [ApiOperation("Reserve an order's lines", Description = "201 with the reservation; a replay of the same orderId and lines is 200 with the same reservation and no second effect.",
        RequestBody = typeof(ReserveBody), Response = typeof(ReservationResponse), Success = [201, 200], Tag = "reservations")]
    public Task<IActionResult> Create(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "reservations")] HttpRequest req, CancellationToken ct) =>
        ApiCall.RunAsync(req, async () =>
        {
            var result = await reserve.ExecuteAsync((await JsonBody.ReadAsync<ReserveBody>(req, ct))!.ToCommand(), ct);
            return JsonResponse.Saved(ReservationResponse.From(result.Reservation), result.Created, $"/api/reservations/{result.Reservation.OrderId}");
        });

    [Function("GetReservation")]
    [ApiOperation("Read an order's reservation", Response = typeof(ReservationResponse), Tag = "reservations")]
    public Task<IActionResult> Get(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "reservations/{orderId}")] HttpRequest req, string orderId, CancellationToken ct) =>
        ApiCall.RunAsync(req, async () =>
        {
            new Domain.Guard().Id("orderId", orderId).ThrowIfAny();
            return JsonResponse.Ok(ReservationResponse.From(await orderHeaders.ViewAsync(orderId, ct)));
        });

    [Function("FulfillReservation")]
    [ApiOperation("Ship reserved stock, all or some lines and quantities", RequestBody = typeof(ChangeBody), RequestBodyOptional = true,
        Response = typeof(ReservationResponse), Tag = "reservations")]
    public Task<IActionResult> Fulfill(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "reservations/{orderId}/fulfill")] HttpRequest req, string orderId, CancellationToken ct) =>
        ApiCall.RunAsync(req, async () =>
            JsonResponse.Ok(ReservationResponse.From(await fulfill.ExecuteAsync(ChangeBody.ToCommand(orderId, await JsonBody.ReadAsync<ChangeBody>(req, ct, optional: true)), ct))));

    [Function("ReleaseReservation")]
    [ApiOperation("Give back reserved stock, all or some lines and quantities", RequestBody = typeof(ChangeBody), RequestBodyOptional = true,
        Response = typeof(ReservationResponse), Tag = "reservations")]
    public Task<IActionResult> Release(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "reservations/{orderId}/release")] HttpRequest req, string orderId, CancellationToken ct) =>
        ApiCall.RunAsync(req, async () =>
            JsonResponse.Ok(ReservationResponse.From(await release.ExecuteAsync(ChangeBody.ToCommand(orderId, await JsonBody.ReadAsync<ChangeBody>(req, ct, optional: true)), ct))));
}
