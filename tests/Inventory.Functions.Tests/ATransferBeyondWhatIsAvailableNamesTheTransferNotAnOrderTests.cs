using System.Text;
using System.Text.Json;
using Inventory.Application;
using Inventory.Functions.Functions;
using Inventory.Testing;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace Inventory.Functions.Tests;

/// <summary>
/// Found in review: POST /api/stock/transfers of more than the source location has available answers a 409
/// insufficient-stock problem whose fields say it is about an order: <c>"orderId": "&lt;the transferId&gt;"</c> and the
/// detail "Not enough stock for order 'trf-…'". docs/http-api.md promises "the fields that caused it", and for a transfer
/// there is no order: an integrator that reads <c>orderId</c> (as it must for reservations) gets a transfer id, and an
/// operator reading the detail looks for an order that does not exist. ProductStock.Transfer throws
/// InsufficientStockException(request.TransferId, ...), which only knows orders. The problem should name the transfer
/// (<c>transferId</c>) and the source location, and not call it an order.
/// </summary>
public sealed class ATransferBeyondWhatIsAvailableNamesTheTransferNotAnOrderTests
{
    private readonly InventoryApplication app = new(new InMemoryDocumentStore());

    [Fact]
    public async Task The_insufficient_stock_problem_of_a_transfer_names_the_transfer_and_no_order()
    {
        var s = new StockScenario(app);
        await s.WarehouseAsync("w-tr");
        await s.LocationAsync("w-tr", "tr-pick");
        await s.LocationAsync("w-tr", "tr-bulk");
        await s.ProductAsync("tr-p", "TR-P");
        await s.StockAsync("tr-p", "tr-pick", 9);

        var context = new DefaultHttpContext();
        context.Request.Method = "POST";
        context.Request.Path = "/api/stock/transfers";
        context.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes(
            """{"transferId":"trf-3001","productId":"tr-p","fromLocationId":"tr-pick","toLocationId":"tr-bulk","quantity":50}"""));
        context.Response.Body = new MemoryStream();
        var result = await app.Create<StockFunctions>().Transfer(context.Request, default);
        await result.ExecuteResultAsync(new ActionContext(context, new RouteData(), new ActionDescriptor()));
        context.Response.Body.Position = 0;
        var problem = JsonDocument.Parse(await new StreamReader(context.Response.Body).ReadToEndAsync()).RootElement;

        Assert.Equal((409, "insufficient-stock"), (context.Response.StatusCode, problem.GetProperty("code").GetString()));
        Assert.False(problem.TryGetProperty("orderId", out var orderId), $"a transfer's problem names an order: orderId = {orderId}; body: {problem}");
        Assert.Equal("trf-3001", problem.TryGetProperty("transferId", out var transferId) ? transferId.GetString() : null);
        Assert.DoesNotContain("order", problem.GetProperty("detail").GetString()!, StringComparison.OrdinalIgnoreCase);
    }
}
