using Inventory.Application.Orders;
using Inventory.Application.Stock;
using Inventory.Domain;

namespace Inventory.Core.Tests.Escrow;

/// <summary>
/// "Every bad input a clear error" (docs/http-api.md, Errors: 409 <c>insufficient-stock</c> carries
/// <c>lines: [{productId, requested, available}]</c>). Found in review of 8909643/ec9c814: a transfer of a product in escrow
/// is now decided on the product's whole stock, as the stock view shows it, and one short even with the buckets' free
/// units is refused before gathering (<c>TransferStock.ExecuteAsync</c>: <c>throw;</c>). What it rethrows is the refusal
/// decided on the product's partition alone, where every unit granted to a bucket counts as reserved: its
/// <c>available</c> is 75 while the stock view, and the decision itself, count 99. A client that retries with the
/// <c>available</c> it was told moves less than it could; one that compares with GET /stock sees a contradiction. A fix:
/// refuse with the figure the decision used (the view's <c>QuantityAvailable</c> at the source).
/// </summary>
public class ARefusedTransferOfAProductInEscrowReportsWhatTheStockViewShowsAvailableTests
{
    [Fact]
    public async Task A_transfer_of_more_than_is_available_reports_the_stock_views_available()
    {
        var world = await EscrowWorld.CreateAsync(atL1: 100);
        var app = world.Instance(1);
        await app.Reserve.ExecuteAsync(new ReserveCommand("O1", [new(EscrowWorld.Product, 1)])); // bucket 1: granted 25, 24 free
        var view = await app.Stock.GetStockAsync(EscrowWorld.Product);
        Assert.Equal(99, view.Locations.Single(l => l.LocationId == "L1").QuantityAvailable);

        var refusal = await Assert.ThrowsAsync<InsufficientStockException>(() =>
            app.Transfer.ExecuteAsync(new TransferCommand(EscrowWorld.Product, "L1", "L2", 120, "move-too-many")));

        var line = Assert.Single(refusal.Lines);
        Assert.True(line.Available == 99,
            $"the transfer of 120 at L1, where the stock view shows 99 available, was refused with available {line.Available}");
    }
}
