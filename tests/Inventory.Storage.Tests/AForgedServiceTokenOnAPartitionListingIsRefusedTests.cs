using System.Net;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Inventory.Storage;
using Inventory.Storage.Tables;

namespace Inventory.Storage.Tests;

/// <summary>
/// Found in review: a continuation token that carries the right query but a position the Table service refuses (400:
/// edited by a client, cut short, or from before a change of the service's format) is the caller's bad input. The scan
/// across partitions refused it as an invalid token; the listing of partitions answered it as a store outage (503),
/// telling the operator on call that the store is down when a client sent a bad token. Azurite accepts any position, so
/// the service here answers a first page with a position and a 400 to any request that carries one.
/// </summary>
public sealed class AForgedServiceTokenOnAPartitionListingIsRefusedTests
{
    private const string Account =
        "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;TableEndpoint=http://127.0.0.1:9/devstoreaccount1;";

    /// <summary>A service that pages one row at a time and refuses every position it is sent back.</summary>
    private sealed class RefusesPositions : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.RequestUri!.Query.Contains("NextPartitionKey", StringComparison.Ordinal))
                return Task.FromResult(new HttpResponseMessage(HttpStatusCode.BadRequest)
                {
                    Content = new StringContent("""{"odata.error":{"code":"InvalidInput","message":{"value":"bad position"}}}"""),
                });
            var page = new HttpResponseMessage(HttpStatusCode.OK)
            {
                Content = new StringContent("""{"value":[{"PartitionKey":"fa","RowKey":"marker"}]}""", System.Text.Encoding.UTF8, "application/json"),
            };
            page.Headers.TryAddWithoutValidation("x-ms-continuation-NextPartitionKey", "1!4!ZmI-");
            page.Headers.TryAddWithoutValidation("x-ms-continuation-NextRowKey", "1!8!bWFya2Vy");
            return Task.FromResult(page);
        }
    }

    private static TableDocumentStore Store() =>
        new(new TableServiceClient(Account, new TableClientOptions
        {
            Retry = { MaxRetries = 0 },
            Transport = new HttpClientTransport(new HttpClient(new RefusesPositions())),
        }), new TableStoreOptions());

    [Fact]
    public async Task A_partition_listing_refuses_a_position_the_service_refuses()
    {
        var store = Store();
        var (_, token) = await store.ListPartitionsAsync(Collection.Runs, "marker", 1, null);

        await Assert.ThrowsAsync<InvalidContinuationTokenException>(() => store.ListPartitionsAsync(Collection.Runs, "marker", 1, token));
    }

    [Fact]
    public async Task A_scan_across_partitions_refuses_a_position_the_service_refuses()
    {
        var store = Store();
        var page = await store.QueryAcrossPartitionsAsync(Collection.Runs, "marker", 1, null);

        await Assert.ThrowsAsync<InvalidContinuationTokenException>(() => store.QueryAcrossPartitionsAsync(Collection.Runs, "marker", 1, page.ContinuationToken));
    }
}
