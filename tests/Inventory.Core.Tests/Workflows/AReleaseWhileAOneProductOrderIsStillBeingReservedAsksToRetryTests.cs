using Inventory.Application.Orders;
using Inventory.Domain;
using Inventory.Storage;
using Inventory.Testing;

namespace Inventory.Core.Tests.Workflows;

/// <summary>
/// Found in review (h1, 2026-12-02): a release of a one-product order whose claimant is still reserving (its header
/// written, its product commit not landed) was answered 404 reservation-not-found, though the order exists and its GET
/// shows it PENDING. The caller takes that as "nothing held"; the claimant's reservation lands after, and the units stay
/// held until the hold expires, or for good without one. Within the claimant's exclusive time the release is asked to
/// retry (409, as for an order of several products still reserving), and the retry releases what landed.
/// </summary>
public class AReleaseWhileAOneProductOrderIsStillBeingReservedAsksToRetryTests
{
    private const string OrderId = "O-1";

    [Fact]
    public async Task A_release_meeting_the_claimant_before_its_commit_is_asked_to_retry_and_its_retry_leaves_nothing_held()
    {
        var memory = new InMemoryDocumentStore();
        var s = await StockScenario.TwoProductsAsync(memory);
        var gate = new GateFirstCommit(memory, Collection.Products, "A"); // the claimant is held at its product commit
        var reserve = Task.Run(() => new InventoryApplication(gate).Reserve.ExecuteAsync(new ReserveCommand(OrderId, [new("A", 2)])));
        await gate.Reached.Task.WaitAsync(TimeSpan.FromSeconds(30)); // the header claimed, the reservation not landed

        var release = await Record.ExceptionAsync(() => new InventoryApplication(memory).Release.ExecuteAsync(new ReservationChangeCommand(OrderId, Reference: "cancel-1")));
        gate.Release.SetResult();
        await reserve;

        var retry = Assert.IsType<InvalidStateException>(release); // not 404: the order exists, its reservation is on its way
        Assert.Contains("still being reserved", retry.Message);
        Assert.True(retry.RetryLater); // an ask to retry, not the request's answer: a later delivery may be answered otherwise
        await new InventoryApplication(memory).Release.ExecuteAsync(new ReservationChangeCommand(OrderId, Reference: "cancel-1"));
        Assert.Equal(0, (await s.App.Stock.GetStockAsync("A")).QuantityReserved);
        await s.AssertBooksBalanceAsync("A");
    }
}
