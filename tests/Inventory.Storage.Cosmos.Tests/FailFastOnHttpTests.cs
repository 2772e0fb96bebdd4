using System.Diagnostics;
using System.Net;
using Microsoft.Azure.Cosmos;
using Moq;

namespace Inventory.Storage.Cosmos.Tests;

/// <summary>
/// An HTTP caller cannot wait through the SDK's 30 s of rate-limit retries plus the store's own: inside
/// <see cref="CosmosPatience.Interactive"/> calls go through the fail-fast client and a throttled commit fails at once
/// (the host answers 503 with Retry-After); queue and timer work keeps the patient client and the extra retries.
/// </summary>
public class FailFastOnHttpTests
{
    private static readonly DocumentWrite[] Writes = [new DocumentWrite.Replace("head", """{"productId":"P1"}""", "\"e1\"")];

    private static TransactionalBatchResponse Throttled(TimeSpan retryAfter) =>
        CosmosFakes.BatchResponse(HttpStatusCode.TooManyRequests, [HttpStatusCode.TooManyRequests], 0, retryAfter);

    [Fact]
    public void The_interactive_client_gives_up_on_throttling_within_seconds_and_the_patient_one_keeps_the_SDK_defaults()
    {
        const string emulator = "AccountEndpoint=https://localhost:8081/;AccountKey=C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==;";
        var options = new CosmosStoreOptions { ConnectionString = emulator };
        using var interactive = CosmosDocumentStore.CreateClient(options, interactive: true);
        using var patient = CosmosDocumentStore.CreateClient(options);

        Assert.Equal(2, interactive.ClientOptions.MaxRetryAttemptsOnRateLimitedRequests);
        Assert.Equal(TimeSpan.FromSeconds(3), interactive.ClientOptions.MaxRetryWaitTimeOnRateLimitedRequests);
        Assert.Equal(9, patient.ClientOptions.MaxRetryAttemptsOnRateLimitedRequests);
        Assert.Equal(TimeSpan.FromSeconds(30), patient.ClientOptions.MaxRetryWaitTimeOnRateLimitedRequests);
    }

    [Fact]
    public async Task A_throttled_commit_for_an_HTTP_caller_fails_at_once_with_the_RetryAfter_Cosmos_asked_for()
    {
        var fakes = new CosmosFakes();
        for (var i = 0; i < 5; i++) fakes.Responses.Enqueue(Throttled(TimeSpan.FromSeconds(2)));
        var clock = Stopwatch.StartNew();

        StoreThrottledException e;
        using (CosmosPatience.Interactive())
            e = await Assert.ThrowsAsync<StoreThrottledException>(() => fakes.Store().CommitAsync(Collection.Products, "P1", Writes));

        Assert.Single(fakes.Batches); // no wait of 2 s, no second batch
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1.5), $"took {clock.Elapsed}");
        Assert.Equal(TimeSpan.FromSeconds(2), e.RetryAfter);
    }

    [Fact]
    public async Task The_same_commit_for_queue_or_timer_work_is_retried()
    {
        var fakes = new CosmosFakes();
        fakes.Responses.Enqueue(Throttled(TimeSpan.FromMilliseconds(5)));

        await fakes.Store().CommitAsync(Collection.Products, "P1", Writes);

        Assert.Equal(2, fakes.Batches.Count);
    }

    [Fact]
    public async Task Calls_inside_the_interactive_scope_go_through_the_interactive_client_and_only_those()
    {
        var patient = new CosmosFakes();
        var interactive = new CosmosFakes();
        var store = new CosmosDocumentStore(patient.Client.Object, new CosmosStoreOptions(), interactiveClient: interactive.Client.Object);

        using (CosmosPatience.Interactive()) await store.CommitAsync(Collection.Holds, "20260301", [new DocumentWrite.Upsert("h1", "{}")]);
        await store.CommitAsync(Collection.Holds, "20260302", [new DocumentWrite.Upsert("h2", "{}")]);

        Assert.Equal([new PartitionKey("20260301")], interactive.BatchPartitions);
        Assert.Equal([new PartitionKey("20260302")], patient.BatchPartitions);
        Assert.False(CosmosPatience.IsInteractive);
    }
}
