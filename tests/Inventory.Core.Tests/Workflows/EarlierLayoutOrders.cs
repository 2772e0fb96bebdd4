using Inventory.Application.Orders;
using Inventory.Domain;
using Inventory.Testing;

namespace Inventory.Core.Tests.Workflows;

/// <summary>
/// Two orders whose headers an earlier build wrote in another layout than this build writes (one of one product, one of
/// two, on <see cref="StockScenario.TwoProductsAsync"/>), and what an instance of this build must still do with them.
/// </summary>
internal static class EarlierLayoutOrders
{
    public static readonly ReserveCommand Lone = new("O-LONE", [new("A", 2)]);
    public static readonly ReserveCommand Saga = new("O-SAGA", [new("A", 1), new("B", 1)]);

    public static async Task ReserveAsync(InventoryApplication earlierBuild)
    {
        await earlierBuild.Reserve.ExecuteAsync(Lone);
        await earlierBuild.Reserve.ExecuteAsync(Saga);
    }

    /// <summary>Found, replayed (nothing reserved twice), refused for other lines, and the order of two products released.</summary>
    public static async Task AssertFoundReplayedRefusedAndReleasedAsync(InventoryApplication app)
    {
        Assert.Equal(OrderReservationStatus.Reserved, (await app.Orders.ViewAsync("O-LONE", default)).Status);
        Assert.False((await app.Reserve.ExecuteAsync(Lone)).Created);
        Assert.False((await app.Reserve.ExecuteAsync(Saga)).Created);
        await Assert.ThrowsAsync<OrderConflictException>(() => app.Reserve.ExecuteAsync(new ReserveCommand("O-LONE", [new("A", 5)])));
        await Assert.ThrowsAsync<OrderConflictException>(() => app.Reserve.ExecuteAsync(new ReserveCommand("O-SAGA", [new("B", 3)])));
        Assert.Equal(3, (await app.Stock.GetStockAsync("A")).QuantityReserved); // nothing reserved twice
        await app.Release.ExecuteAsync(new ReservationChangeCommand("O-SAGA"));
        Assert.Equal(OrderReservationStatus.Released, (await app.Orders.ViewAsync("O-SAGA", default)).Status);
    }
}
