using Inventory.Testing;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Inventory.Application;
using Inventory.Application.Orders;
using Inventory.Application.Stock;
using Inventory.Domain;

namespace Inventory.Core.Tests.Coalescing;

/// <summary>One request of a random mix on the hot product.</summary>
public sealed record StockRequest(int Kind, int Ref, long Quantity, bool Flag)
{
    public Func<Task<object?>> Against(InventoryApplication app) => Kind switch
    {
        // A new order (refs repeat: replays, and reuses with other quantities); all-or-nothing or partial.
        0 => async () => await app.Reserve.ExecuteAsync(new ReserveCommand($"N{Ref}", [new(HotProduct.Id, Quantity)],
            Policy: Flag ? ReservationPolicy.Partial : ReservationPolicy.AllOrNothing)),
        // Orders reserved before the mix: ship or release some or all of what they hold.
        1 => async () => await app.Fulfill.ExecuteAsync(new ReservationChangeCommand($"R{Ref % 4}", [new(HotProduct.Id, Quantity == 0 ? null : Quantity)])),
        2 => async () => await app.Release.ExecuteAsync(new ReservationChangeCommand($"R{Ref % 4}", [new(HotProduct.Id, Quantity == 0 ? null : Quantity)])),
        // Adjustments by delta or by count (ids repeat: replays and reference conflicts), some refused below reserved.
        _ => async () => await app.Adjust.ExecuteAsync(new AdjustCommand(HotProduct.Id, Flag ? "L1" : "L2",
            Quantity == 0 ? null : Quantity, Quantity == 0 ? Ref * 2 : null, "count", $"A{Ref % 5}")),
    };

    public override string ToString() => $"{(new[] { "reserve", "fulfil", "release", "adjust" })[Kind]}({Ref},{Quantity},{Flag})";
}

public sealed record RequestMix(IReadOnlyList<StockRequest> Requests, int MaxBatchSize, int MaxWritesPerCommit)
{
    public override string ToString() => $"batch≤{MaxBatchSize}, writes≤{MaxWritesPerCommit}: {string.Join(" ", Requests)}";
}

public static class RequestMixes
{
    public static Arbitrary<RequestMix> Mix() => Arb.From(
        from requests in Gen.ListOf(Request(), 40)
        from batch in Gen.Choose(1, 60)
        from writes in Gen.Choose(8, 100)
        select new RequestMix(requests.ToArray(), batch, writes));

    private static Gen<StockRequest> Request() =>
        from kind in Gen.Choose(0, 3)
        from reference in Gen.Choose(0, 7)
        from quantity in kind switch
        {
            0 => Gen.Choose(1, 6),
            3 => Gen.Choose(-4, 4),
            _ => Gen.Choose(0, 3),
        }
        from flag in Gen.Elements(true, false)
        select new StockRequest(kind, reference, quantity, flag);
}

/// <summary>
/// Coalescing must not change any outcome: a random mix of reservations, fulfilments, releases and adjustments on one
/// product, queued behind a commit in flight and decided in shared batches, gives every caller the same answer and
/// leaves the same partition (balances, reservations, operation records, ledger entry by entry) as the same requests
/// run one by one in arrival order. Batch sizes and store limits vary too, so batches are also split.
/// </summary>
public class CoalescedOrderEquivalenceTests
{
    [Property(Arbitrary = [typeof(RequestMixes)], MaxTest = 150)]
    public async Task Coalesced_requests_end_exactly_as_the_same_requests_one_by_one(RequestMix mix)
    {
        var options = new ConcurrencyOptions { MaxBatchSize = mix.MaxBatchSize };
        var coalesced = await SetUpAsync(options, mix.MaxWritesPerCommit);
        var tasks = await coalesced.InOneBatchAsync(mix.Requests.Select(r => r.Against(coalesced.App)).ToArray());
        var coalescedOutcomes = await Task.WhenAll(tasks.Select(HotProduct.OutcomeAsync));

        var oneByOne = await SetUpAsync(options with { Coalesce = false }, mix.MaxWritesPerCommit);
        await oneByOne.App.Receive.ExecuteAsync(new ReceiveCommand(HotProduct.Id, "L2", 1, "blocker"));
        var oneByOneOutcomes = new List<string>();
        foreach (var request in mix.Requests) oneByOneOutcomes.Add(await HotProduct.OutcomeAsync(request.Against(oneByOne.App)()));

        Assert.Equal(oneByOneOutcomes, coalescedOutcomes);
        Assert.Equal(await oneByOne.PartitionAsync(), await coalesced.PartitionAsync());
        await coalesced.Scenario.AssertBooksBalanceAsync(HotProduct.Id);
        Assert.All(coalesced.Store.ProductCommits, c => Assert.InRange(c.Count, 1, mix.MaxWritesPerCommit));
    }

    /// <summary>
    /// The hot product plus four orders of 2 units reserved beforehand, for the mix to ship and release. Claims are not
    /// exclusive here, so that a reserve replayed in the mix joins its original's batch (with exclusive claims it waits for
    /// the original's outcome instead: <see cref="Workflows.ClaimedOrderTests"/>).
    /// </summary>
    private static async Task<HotProduct> SetUpAsync(ConcurrencyOptions options, int maxWrites)
    {
        var p = await HotProduct.CreateAsync(options, maxWrites, orders: new OrderOptions { ClaimExclusiveMilliseconds = 0 });
        for (var i = 0; i < 4; i++) await p.App.Reserve.ExecuteAsync(new ReserveCommand($"R{i}", [new(HotProduct.Id, 2)]));
        return p;
    }
}
