using System.Net;
using Inventory.Domain;

namespace Inventory.Storage.Cosmos.Tests;

/// <summary>A refused batch does not throw: the store reads it and names the conflict of the operation that failed.</summary>
public class CommitConflictMappingTests
{
    private static readonly DocumentWrite[] Writes =
    [
        new DocumentWrite.Replace("head", """{"productId":"P1","ledgerSequence":2}""", "\"e-head\""),
        new DocumentWrite.Replace("bal|L1", """{"locationId":"L1"}""", "\"e-bal\""),
        new DocumentWrite.Create("led|9223372036854775805", """{"txnId":"t"}"""),
    ];

    [Theory]
    [InlineData(HttpStatusCode.PreconditionFailed, 0, ConflictKind.PreconditionFailed)]
    [InlineData(HttpStatusCode.PreconditionFailed, 1, ConflictKind.PreconditionFailed)]
    [InlineData(HttpStatusCode.Conflict, 2, ConflictKind.AlreadyExists)]
    [InlineData(HttpStatusCode.NotFound, 1, ConflictKind.NotFound)]
    public async Task The_operation_whose_status_is_not_424_names_the_conflict_and_the_document(HttpStatusCode status, int failing, ConflictKind expected)
    {
        var fakes = new CosmosFakes();
        var statuses = Writes.Select((_, i) => i == failing ? status : HttpStatusCode.FailedDependency).ToArray();
        fakes.Responses.Enqueue(CosmosFakes.BatchResponse(status, statuses));

        var e = await Assert.ThrowsAsync<CommitConflictException>(() => fakes.Store().CommitAsync(Collection.Products, "P1", Writes));

        Assert.Equal(expected, e.Kind);
        Assert.Equal(Writes[failing].Id, e.DocumentId);
        Assert.Single(fakes.Batches);
    }

    [Fact]
    public async Task A_failure_that_is_no_conflict_is_not_reported_as_one()
    {
        var fakes = new CosmosFakes();
        fakes.Responses.Enqueue(CosmosFakes.BatchResponse(HttpStatusCode.BadRequest,
            [HttpStatusCode.FailedDependency, HttpStatusCode.BadRequest, HttpStatusCode.FailedDependency]));

        var e = await Assert.ThrowsAsync<StoreUnavailableException>(() => fakes.Store().CommitAsync(Collection.Products, "P1", Writes));

        Assert.Equal((int)HttpStatusCode.BadRequest, e.Status);
        Assert.Contains("bal|L1", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_404_for_the_whole_batch_with_no_operation_results_is_a_missing_container_not_a_conflict()
    {
        var fakes = new CosmosFakes();
        fakes.Responses.Enqueue(CosmosFakes.BatchResponse(HttpStatusCode.NotFound, []));

        var e = await Assert.ThrowsAsync<StoreUnavailableException>(() => fakes.Store().CommitAsync(Collection.Products, "P1", Writes));

        Assert.Equal((int)HttpStatusCode.NotFound, e.Status);
    }

    [Fact]
    public async Task A_batch_the_service_finds_too_large_is_a_transaction_too_large()
    {
        var fakes = new CosmosFakes();
        fakes.Responses.Enqueue(CosmosFakes.BatchResponse(HttpStatusCode.RequestEntityTooLarge, []));

        var e = await Assert.ThrowsAsync<TransactionTooLargeException>(() => fakes.Store().CommitAsync(Collection.Products, "P1", Writes));

        Assert.Contains("Azure Cosmos DB", e.Message, StringComparison.Ordinal);
    }
}
