using System.Net;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Inventory.Storage;
using Inventory.Storage.Tables;

namespace Inventory.Storage.Tests;

/// <summary>The Table store raises the port's store-neutral errors, never the SDK's: 429/503 throttled, the rest unavailable.</summary>
public sealed class TableStoreFailureTests
{
    private const string Account =
        "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;TableEndpoint=http://127.0.0.1:9/devstoreaccount1;";

    private sealed class Answer(HttpStatusCode status, string? retryAfter) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = new HttpResponseMessage(status) { Content = new StringContent("""{"odata.error":{"code":"ServerBusy","message":{"value":"busy"}}}""") };
            if (retryAfter is not null) response.Headers.TryAddWithoutValidation("Retry-After", retryAfter);
            return Task.FromResult(response);
        }
    }

    private static TableDocumentStore Store(HttpMessageHandler? handler, int retries = 0)
    {
        var options = new TableClientOptions { Retry = { MaxRetries = retries, Delay = TimeSpan.FromMilliseconds(1) } };
        if (handler is not null) options.Transport = new HttpClientTransport(new HttpClient(handler));
        return new TableDocumentStore(new TableServiceClient(Account, options), new TableStoreOptions());
    }

    [Theory]
    [InlineData(HttpStatusCode.TooManyRequests)]
    [InlineData(HttpStatusCode.ServiceUnavailable)]
    public async Task Busy_answers_are_throttling_with_the_retry_after_asked(HttpStatusCode status)
    {
        var store = Store(new Answer(status, "7"));

        var read = await Assert.ThrowsAsync<StoreThrottledException>(() => store.ReadAsync(Collection.Products, "P1", ["a", "b"], []));
        var commit = await Assert.ThrowsAsync<StoreThrottledException>(() =>
            store.CommitAsync(Collection.Products, "P1", [new DocumentWrite.Create("a", "{}")]));

        Assert.All([read, commit], e => Assert.Equal(("Azure Table Storage", (int)status, TimeSpan.FromSeconds(7)), (e.Store, e.Status, e.RetryAfter)));
    }

    [Fact]
    public async Task A_server_error_is_unavailability()
    {
        var e = await Assert.ThrowsAsync<StoreUnavailableException>(() => Store(new Answer(HttpStatusCode.InternalServerError, null))
            .QueryAsync(Collection.Products, "P1", "led|", 10, null));

        Assert.Equal(500, e.Status);
    }

    [Fact]
    public async Task A_closed_port_is_unavailability_on_every_call()
    {
        var store = Store(null);

        await Assert.ThrowsAsync<StoreUnavailableException>(() => store.ReadAsync(Collection.Products, "P1", ["a"], []));
        await Assert.ThrowsAsync<StoreUnavailableException>(() => store.CommitAsync(Collection.Products, "P1", [new DocumentWrite.Create("a", "{}")]));
        await Assert.ThrowsAsync<StoreUnavailableException>(() => store.QueryAsync(Collection.Products, "P1", "led|", 10, null));
        await Assert.ThrowsAsync<StoreUnavailableException>(() => store.ListPartitionsAsync(Collection.Products, "product", 10, null));
        var ping = await Assert.ThrowsAsync<StoreUnavailableException>(() => store.PingAsync());
        Assert.Null(ping.Status);
    }

    [Fact]
    public async Task A_closed_port_after_the_SDK_retries_is_unavailability_too()
    {
        // Azure.Core gives up on transport failures with an AggregateException of every attempt's error.
        var e = await Assert.ThrowsAsync<StoreUnavailableException>(() => Store(null, retries: 2).ReadAsync(Collection.Products, "P1", ["a"], []));

        Assert.Equal("Azure Table Storage", e.Store);
    }
}
