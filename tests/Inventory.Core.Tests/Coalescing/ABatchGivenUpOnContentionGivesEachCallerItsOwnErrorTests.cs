using Inventory.Application;
using Inventory.Application.Stock;
using Inventory.Domain;
using Inventory.Storage;

namespace Inventory.Core.Tests.Coalescing;

/// <summary>
/// Found in review: a shared batch that gives up on contention fails every caller with one and the same
/// <see cref="ConcurrencyExhaustedException"/> object, although <c>BatchCommit</c> says "each its own" (and a failed
/// shared commit does give each caller its own error, <see cref="SharedCommitFailureTests"/>). One exception object
/// rethrown to several callers at once has its stack trace rewritten concurrently by each await, and whatever one
/// caller's handler puts in its <c>Data</c> reaches the others.
/// </summary>
public class ABatchGivenUpOnContentionGivesEachCallerItsOwnErrorTests
{
    private static AdjustCommand Found(string id) => new(HotProduct.Id, "L1", 1, null, "found", id);

    [Fact]
    public async Task Each_caller_of_a_batch_that_keeps_losing_its_race_gets_its_own_ConcurrencyExhaustedException()
    {
        var p = await HotProduct.CreateAsync(new ConcurrencyOptions { MaxAttempts = 2, AdaptiveWindow = false });
        // Every commit of the batch loses its race (another instance always gets there first); nothing is written.
        p.Memory.BeforeCommit = (c, _, w) =>
        {
            if (c == Collection.Products && w.Any(x => x.Id.StartsWith("op|adjust|", StringComparison.Ordinal)))
                throw new CommitConflictException(ConflictKind.PreconditionFailed, ProductPartitionIds.Head);
        };
        var results = await p.InOneBatchAsync<MovementResult>([
            () => p.App.Adjust.ExecuteAsync(Found("X1")),
            () => p.App.Adjust.ExecuteAsync(Found("Y1")),
            () => p.App.Adjust.ExecuteAsync(Found("Z1")),
        ]);

        var errors = new List<ConcurrencyExhaustedException>();
        foreach (var r in results) errors.Add(await Assert.ThrowsAsync<ConcurrencyExhaustedException>(() => r.WaitAsync(TimeSpan.FromMinutes(1))));
        Assert.Equal(3, errors.Distinct().Count());
        p.Memory.BeforeCommit = null;
        Assert.Equal(10, (await p.App.Stock.GetStockAsync(HotProduct.Id)).Locations.Single(l => l.LocationId == "L1").QuantityOnHand);
    }
}
