using System.Net;
using Azure.Core.Pipeline;
using Azure.Storage.Blobs;
using Inventory.Storage;
using Inventory.Storage.Blobs;

namespace Inventory.Storage.Tests;

/// <summary>
/// Found in review: <c>BlobLedgerArchive.WriteAsync</c> answers false ("a part of that name exists already") for any
/// HTTP 409 (<c>e.Status == 409 || e.ErrorCode == BlobAlreadyExists</c>), but Blob Storage answers 409 for refusals that
/// write nothing and say nothing of the part: ContainerBeingDeleted (for about 30 s after an operator deletes and
/// recreates the archive container), ContainerDisabled. <c>LedgerArchival.ArchiveAsync</c> takes false for "another run
/// wrote it" and deletes the hot ledger entries of the part: entries leave the store with no archive holding them,
/// which the archive's own rule ("nothing is deleted before its part is confirmed") forbids. Only BlobAlreadyExists
/// means the part is there; any other refusal is the store's failure.
/// </summary>
public sealed class AnArchiveWriteRefusedForAnotherReasonIsNoPartWrittenTests
{
    private const string Account =
        "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:9/devstoreaccount1;";

    private sealed class Refuse(string errorCode, string message) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = new HttpResponseMessage(HttpStatusCode.Conflict)
            {
                Content = new StringContent($"<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>{errorCode}</Code><Message>{message}</Message></Error>"),
            };
            response.Headers.TryAddWithoutValidation("x-ms-error-code", errorCode);
            return Task.FromResult(response);
        }
    }

    private static BlobLedgerArchive Archive(string errorCode, string message)
    {
        var options = new BlobClientOptions { Retry = { MaxRetries = 0 }, Transport = new HttpClientTransport(new HttpClient(new Refuse(errorCode, message))) };
        return new BlobLedgerArchive(new BlobServiceClient(Account, options).GetBlobContainerClient("ledger-archive"), new BlobArchiveOptions());
    }

    [Theory]
    [InlineData("ContainerBeingDeleted", "The specified container is being deleted.")]
    [InlineData("ContainerDisabled", "The specified container has been disabled by the administrator.")]
    public async Task A_409_that_is_not_BlobAlreadyExists_is_the_stores_failure_not_a_part_found_written(string errorCode, string message)
    {
        var part = new LedgerArchivePart("A", "2026-01", 1, 10);

        var e = await Record.ExceptionAsync(async () =>
        {
            var written = await Archive(errorCode, message).WriteAsync(part, new byte[] { 0x1f, 0x8b, 1 });
            Assert.Fail($"The write refused with 409 {errorCode} answered {written}: archival takes false for a part another run wrote, and deletes the hot entries");
        });

        Assert.True(e is StoreFailureException, e?.Message);
    }
}
