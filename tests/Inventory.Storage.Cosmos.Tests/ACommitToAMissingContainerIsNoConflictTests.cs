using System.Net;
using Microsoft.Azure.Cosmos;
using Moq;

namespace Inventory.Storage.Cosmos.Tests;

/// <summary>
/// Found in review: when Cosmos refuses a transactional batch as a whole (the container or its database does not exist:
/// 404 with sub-status 1003), its answer carries no per-operation results, and the SDK makes them up: one result per
/// operation, each with the batch's own status and sub-status (<c>TransactionalBatchResponse.CreateAndPopulateResults</c>
/// in Microsoft.Azure.Cosmos). <c>Failure</c> looks for the first operation whose status is not 424, finds operation 0
/// with 404 and reports <see cref="CommitConflictException"/> of kind NotFound on the commit's first document: a missing
/// container read as a lost race, which <c>OptimisticConcurrency.TryCommitAsync</c> takes for "someone else took it over"
/// and <c>RunAsync</c> retries as a conflict. docs/cosmos.md promises a 404 of the whole batch is the store's failure
/// (never a conflict), and a 404 with a sub-status <see cref="StoreMisconfiguredException"/> on reads. The existing
/// <c>CommitConflictMappingTests</c> fakes this answer with no results at all, which the SDK never returns.
/// </summary>
public class ACommitToAMissingContainerIsNoConflictTests
{
    private static readonly DocumentWrite[] Writes =
    [
        new DocumentWrite.Replace("head", """{"productId":"P1","ledgerSequence":2}""", "\"e-head\""),
        new DocumentWrite.Replace("bal|L1", """{"locationId":"L1"}""", "\"e-bal\""),
        new DocumentWrite.Create("led|9223372036854775805", """{"txnId":"t"}"""),
    ];

    /// <summary>The batch answer as the SDK builds it for a request refused whole: every operation with the batch's status.</summary>
    private static TransactionalBatchResponse RefusedWhole(HttpStatusCode status, int subStatus, int operations)
    {
        var headers = new Headers { ["x-ms-substatus"] = subStatus.ToString(System.Globalization.CultureInfo.InvariantCulture), ["x-ms-activity-id"] = "a-1" };
        var response = Mock.Get(CosmosFakes.BatchResponse(status, Enumerable.Repeat(status, operations).ToArray()));
        response.Setup(r => r.Headers).Returns(headers);
        response.Setup(r => r.ActivityId).Returns("a-1");
        response.Setup(r => r.ErrorMessage).Returns("Owner resource does not exist");
        return response.Object;
    }

    [Theory]
    [InlineData(3)]
    [InlineData(1)]
    public async Task A_batch_refused_whole_as_a_missing_container_is_a_store_failure_not_a_conflict(int operations)
    {
        var fakes = new CosmosFakes();
        fakes.Responses.Enqueue(RefusedWhole(HttpStatusCode.NotFound, 1003, operations));

        var e = await Record.ExceptionAsync(() => fakes.Store().CommitAsync(Collection.Products, "P1", Writes[..operations]));

        Assert.True(e is StoreFailureException,
            $"A batch refused whole with 404/1003 (no container) answered {e?.GetType().Name ?? "nothing"} " +
            $"({(e as CommitConflictException)?.Kind} on '{(e as CommitConflictException)?.DocumentId}'), not the store's failure");
    }
}
