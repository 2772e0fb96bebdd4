using Azure;
using Azure.Identity;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace Inventory.Storage.Blobs;

/// <summary>
/// The ledger archive on Azure Blob Storage (and Azurite): one block blob a part, named by the part. A write is
/// create-only (If-None-Match: *), so a rerun or a concurrent run finds the part written instead of replacing it; the
/// upload returns once the service has committed the blob.
/// </summary>
public sealed class BlobLedgerArchive(BlobContainerClient container, BlobArchiveOptions options) : ILedgerArchive
{
    private const string StoreName = "Azure Blob Storage";

    public static BlobLedgerArchive Create(BlobArchiveOptions options)
    {
        var service = options.BlobConnectionString is { Length: > 0 } cs ? new BlobServiceClient(cs)
            : options.BlobServiceUri is { Length: > 0 } uri ? new BlobServiceClient(new Uri(uri), new DefaultAzureCredential())
            : throw new InvalidOperationException("Set Archive:BlobConnectionString or Archive:BlobServiceUri.");
        return new(service.GetBlobContainerClient(options.Container), options);
    }

    public BlobContainerClient Container => container;

    private string ContainerName => container.Name;

    public async Task EnsureCreatedAsync(CancellationToken ct = default)
    {
        if (!options.CreateContainerIfMissing) return;
        try { await container.CreateIfNotExistsAsync(cancellationToken: ct); }
        catch (Exception e) when (Failure(e, "create container", ct) is { } failure) { throw failure; }
    }

    public async Task<IReadOnlyList<LedgerArchivePart>> ListAsync(string productId, CancellationToken cancellationToken = default)
    {
        try
        {
            var parts = new List<LedgerArchivePart>();
            await foreach (var blob in container.GetBlobsAsync(BlobTraits.None, BlobStates.None, productId + "/", cancellationToken))
                if (LedgerArchivePart.Parse(blob.Name) is { } part && part.ProductId == productId) parts.Add(part);
            return parts.OrderBy(p => p.FirstSequence).ToArray();
        }
        catch (Exception e) when (Failure(e, "list", cancellationToken) is { } failure) { throw failure; }
    }

    public async Task<bool> WriteAsync(LedgerArchivePart part, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        try
        {
            await container.GetBlobClient(part.Name).UploadAsync(BinaryData.FromBytes(content), new BlobUploadOptions
            {
                Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
                HttpHeaders = new BlobHttpHeaders { ContentType = "application/x-ndjson", ContentEncoding = "gzip" },
            }, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.ErrorCode == BlobErrorCode.BlobAlreadyExists)
        {
            // Only this 409 says the part is there: others (ContainerBeingDeleted, ContainerDisabled) wrote nothing, and
            // taken as written, archival deleted hot entries no part held.
            return false;
        }
        catch (Exception e) when (Failure(e, "write", cancellationToken) is { } failure) { throw failure; }
    }

    public async Task<byte[]> ReadAsync(LedgerArchivePart part, CancellationToken cancellationToken = default)
    {
        try
        {
            var result = await container.GetBlobClient(part.Name).DownloadContentAsync(cancellationToken);
            return result.Value.Content.ToArray();
        }
        catch (Exception e) when (Failure(e, "read", cancellationToken) is { } failure) { throw failure; }
    }

    /// <summary>The port's error for a failure of the service or the way to it; null for what is not the store's.</summary>
    private StoreFailureException? Failure(Exception e, string operation, CancellationToken ct)
    {
        var what = $"Blob {operation} on the ledger archive";
        return e switch
        {
            StoreFailureException => null,
            // A missing container is the settings' or the infrastructure's fault, as a missing table is: read as an empty
            // archive, the ledger route and the audit lost every archived month without a word.
            RequestFailedException { ErrorCode: var code } when code == BlobErrorCode.ContainerNotFound =>
                new StoreMisconfiguredException(StoreName, $"{what}: its container '{ContainerName}' does not exist (check Archive:Container and the infrastructure)."),
            AggregateException { InnerExceptions.Count: > 0 } a => Failure(a.InnerExceptions[^1], operation, ct),
            RequestFailedException { Status: 429 or 503 } r => new StoreThrottledException(StoreName, $"{what} was throttled (HTTP {r.Status} {r.ErrorCode})", null, r.Status, r),
            RequestFailedException r => new StoreUnavailableException(StoreName, $"{what} failed (HTTP {r.Status} {r.ErrorCode}): {r.Message}", r.Status == 0 ? null : r.Status, r),
            HttpRequestException or IOException or System.Net.Sockets.SocketException or TimeoutException =>
                new StoreUnavailableException(StoreName, $"{what} failed: {e.Message}", null, e),
            OperationCanceledException when !ct.IsCancellationRequested => new StoreUnavailableException(StoreName, $"{what} timed out: {e.Message}", null, e),
            // The app's identity got no token: unreachable, as in an outage (the credential's text stays with the inner exception).
            AuthenticationFailedException => new StoreUnavailableException(StoreName, $"{what} failed: the app's identity got no token ({e.GetType().Name}).", null, e),
            _ => null,
        };
    }
}
