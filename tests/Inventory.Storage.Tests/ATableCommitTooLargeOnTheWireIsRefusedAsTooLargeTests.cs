using System.Net;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Inventory.Storage;
using Inventory.Storage.Tables;

namespace Inventory.Storage.Tests;

/// <summary>
/// Found in review: the Table store sized a transaction at 2 bytes a character (a string property's UTF-16), but the
/// 4 MiB limit is the request's, JSON on the wire, where the SDK writes a non-ASCII character as a \uXXXX escape: a commit
/// of documents in Japanese passed the check at a third of its real size, and the service's 413 became "store
/// unavailable" (503 to the client, a retry refused the same way for ever) instead of "too large", which the commit
/// path answers by cutting the batch. No Azurite: a handler in place of the service records what the SDK sends.
/// </summary>
public sealed class ATableCommitTooLargeOnTheWireIsRefusedAsTooLargeTests
{
    private const string Account =
        "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;TableEndpoint=http://127.0.0.1:9/devstoreaccount1;";

    /// <summary>The service refusing every request as too large, recording the size of each.</summary>
    private sealed class TooLarge : HttpMessageHandler
    {
        public List<long> Sent { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Sent.Add(request.Content is null ? 0 : (await request.Content.ReadAsByteArrayAsync(cancellationToken)).LongLength);
            return new HttpResponseMessage(HttpStatusCode.RequestEntityTooLarge)
            {
                Content = new StringContent("""{"odata.error":{"code":"RequestBodyTooLarge","message":{"value":"The request body is too large."}}}"""),
            };
        }
    }

    private static TableDocumentStore Store(HttpMessageHandler handler) => new(
        new TableServiceClient(Account, new TableClientOptions { Retry = { MaxRetries = 0 }, Transport = new HttpClientTransport(new HttpClient(handler)) }),
        new TableStoreOptions());

    private static DocumentWrite[] Japanese(int documents) => Enumerable.Range(0, documents)
        .Select(i => (DocumentWrite)new DocumentWrite.Create($"d{i:D3}", new string('日', 30_000))).ToArray();

    [Fact]
    public async Task The_services_refusal_as_too_large_is_a_transaction_too_large()
    {
        var service = new TooLarge();

        await Assert.ThrowsAsync<TransactionTooLargeException>(() => Store(service).CommitAsync(Collection.Products, "P1", Japanese(2)));
        Assert.Single(service.Sent);
    }

    [Fact]
    public async Task A_commit_larger_than_the_limit_on_the_wire_is_refused_before_it_is_sent()
    {
        // What the SDK sends for two such documents, measured: the commit below is over the limit by that measure.
        var measure = new TooLarge();
        await Assert.ThrowsAnyAsync<Exception>(() => Store(measure).CommitAsync(Collection.Products, "P1", Japanese(2)));
        var perDocument = Assert.Single(measure.Sent) / 2;
        var documents = (int)(TableDocumentStore.TableLimits.MaxCommitBytes / perDocument) + 2;
        Assert.True(documents * 30_000L * 2 < TableDocumentStore.TableLimits.MaxCommitBytes, "the commit must look small in UTF-16");

        var service = new TooLarge();
        await Assert.ThrowsAsync<TransactionTooLargeException>(() => Store(service).CommitAsync(Collection.Products, "P1", Japanese(documents)));
        Assert.Empty(service.Sent);
    }
}
