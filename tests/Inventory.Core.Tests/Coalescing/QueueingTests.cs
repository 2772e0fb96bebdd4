using Inventory.Application;
using Inventory.Application.Orders;
using Inventory.Application.Stock;
using Inventory.Domain;

namespace Inventory.Core.Tests.Coalescing;

/// <summary>How requests enter and leave a product's queue: alone at once, together when a commit is in flight, never after their caller left.</summary>
public class QueueingTests
{
    [Fact]
    public async Task A_lone_request_goes_straight_through_whatever_the_window()
    {
        var p = await HotProduct.CreateAsync(new ConcurrencyOptions { CoalescingWindow = TimeSpan.FromHours(1) });
        var result = await p.App.Reserve.ExecuteAsync(new ReserveCommand("O1", [new(HotProduct.Id, 2)])).WaitAsync(TimeSpan.FromMinutes(1));
        Assert.Equal(2, result.Reservation.Lines[0].Reserved);
        Assert.Equal(0, p.App.Committer.Queues.Waiting(HotProduct.Id));
    }

    [Fact]
    public async Task Requests_queued_behind_a_commit_in_flight_share_one_commit()
    {
        var p = await HotProduct.CreateAsync();
        var commitsBefore = p.App.Statistics.Commits;
        var results = await p.InOneBatchAsync(Enumerable.Range(0, 8).Select(i => (Func<Task<ReserveResult>>)(() =>
            p.App.Reserve.ExecuteAsync(new ReserveCommand($"O{i}", [new(HotProduct.Id, 1)])))).ToArray());

        Assert.All(results, r => Assert.True(r.IsCompletedSuccessfully));
        Assert.Equal(2, p.App.Statistics.Commits - commitsBefore); // the commit held in flight, then one for all eight
        Assert.Equal(8, (await p.App.Stock.GetStockAsync(HotProduct.Id)).QuantityReserved);
    }

    [Fact]
    public async Task A_state_read_before_the_products_last_commit_here_is_reloaded_rather_than_committed_into_a_conflict()
    {
        var p = await HotProduct.CreateAsync();
        var read = StockRead.ForOperation(OperationKind.Adjust, "A2");
        var stale = await p.App.Committer.LoadAsync(HotProduct.Id, read, default);
        await p.App.Adjust.ExecuteAsync(new AdjustCommand(HotProduct.Id, "L1", 1, null, "found", "A1"));
        var conflictsBefore = p.App.Statistics.Conflicts;

        var onHand = await p.App.Committer.RunAsync(HotProduct.Id, read, s =>
        {
            s.Adjust(new AdjustRequest("A2", "L2", 1, null, "found", false, "t"), new Location { LocationId = "L2", WarehouseId = "W1" }, HotProduct.Now);
            return s.OnHand;
        }, default, stale);

        Assert.Equal(17, onHand); // 15 + A1 + A2: decided on the fresh state
        Assert.Equal(conflictsBefore, p.App.Statistics.Conflicts);
    }

    [Fact]
    public async Task A_reservation_whose_caller_gave_up_while_queued_is_still_finished_by_its_saga()
    {
        var p = await HotProduct.CreateAsync();
        using var giveUp = new CancellationTokenSource();
        var results = await p.InOneBatchAsync<ReserveResult>(
        [
            () => p.App.Reserve.ExecuteAsync(new ReserveCommand("Gone", [new(HotProduct.Id, 3)]), giveUp.Token),
            () => { giveUp.Cancel(); return p.App.Reserve.ExecuteAsync(new ReserveCommand("Stays", [new(HotProduct.Id, 1)])); },
        ]);

        // Issue 12: once its header is claimed, an order's saga runs to its end whatever the caller does.
        Assert.Equal(3, (await results[0]).Reservation.Lines[0].Reserved);
        Assert.Equal(1, (await results[1]).Reservation.Lines[0].Reserved);
        Assert.Equal(4, (await p.App.Stock.GetStockAsync(HotProduct.Id)).QuantityReserved);
        Assert.Equal(OrderReservationStatus.Reserved, (await p.App.Orders.ViewAsync("Gone", default)).Status);
    }
}
