using System.Net;

namespace Inventory.Storage.Cosmos.Tests;

/// <summary>A 429 comes back as a response, not an exception: the store waits RetryAfter and sends the same batch again, a bounded number of times.</summary>
public class ThrottledCommitTests
{
    private static readonly DocumentWrite[] Writes =
    [
        new DocumentWrite.Replace("head", """{"productId":"P1"}""", "\"e1\""),
        new DocumentWrite.Create("led|1", """{"txnId":"t"}"""),
    ];

    private static Microsoft.Azure.Cosmos.TransactionalBatchResponse Throttled(TimeSpan retryAfter) =>
        CosmosFakes.BatchResponse(HttpStatusCode.TooManyRequests, [HttpStatusCode.TooManyRequests, HttpStatusCode.FailedDependency], 0, retryAfter);

    [Fact]
    public async Task A_throttled_commit_is_sent_again_after_RetryAfter_with_the_same_operations()
    {
        var fakes = new CosmosFakes();
        fakes.Responses.Enqueue(Throttled(TimeSpan.FromMilliseconds(150)));
        var started = DateTime.UtcNow;

        await fakes.Store().CommitAsync(Collection.Products, "P1", Writes);

        Assert.True(DateTime.UtcNow - started >= TimeSpan.FromMilliseconds(140), "waited less than RetryAfter");
        Assert.Equal(2, fakes.Batches.Count);
        Assert.Equal(fakes.Batches[0].Select(c => (c.Method, c.Id, c.IfMatch)), fakes.Batches[1].Select(c => (c.Method, c.Id, c.IfMatch)));
    }

    [Fact]
    public async Task A_commit_still_throttled_after_the_retries_fails_clearly_and_stops()
    {
        var fakes = new CosmosFakes();
        for (var i = 0; i < 5; i++) fakes.Responses.Enqueue(Throttled(TimeSpan.FromMilliseconds(1)));

        var e = await Assert.ThrowsAsync<StoreThrottledException>(() =>
            fakes.Store(new CosmosStoreOptions { ThrottleRetries = 2 }).CommitAsync(Collection.Products, "P1", Writes));

        Assert.Equal(3, fakes.Batches.Count);
        Assert.Equal((int)HttpStatusCode.TooManyRequests, e.Status);
        Assert.Contains("nothing was written", e.Message, StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromMilliseconds(1), e.RetryAfter);
    }
}
