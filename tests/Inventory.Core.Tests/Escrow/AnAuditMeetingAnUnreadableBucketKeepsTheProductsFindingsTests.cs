using Inventory.Application.Orders;
using Inventory.Storage;
using Inventory.Testing;

namespace Inventory.Core.Tests.Escrow;

/// <summary>
/// Found in review: the quick audit of a product in escrow checks each bucket after the product's own books. A bucket's
/// stored data it could not read (<see cref="InvalidDataException"/>) failed the whole audit, and the audit's catch then
/// answered that one finding alone: what it had found in the product itself was dropped. The bucket's is now a finding
/// of its own, named by the bucket, beside the product's.
/// </summary>
public class AnAuditMeetingAnUnreadableBucketKeepsTheProductsFindingsTests
{
    [Fact]
    public async Task The_products_finding_and_the_unreadable_bucket_are_both_reported()
    {
        var world = await EscrowWorld.CreateAsync(atL1: 100);
        var app = world.Instance(1);
        await app.Reserve.ExecuteAsync(new ReserveCommand("O1", [new(EscrowWorld.Product, 3)])); // bucket 1 granted at L1

        // The product's first ledger entry is tampered with (its after-value no longer follows)...
        var entry = (await world.Memory.QueryAsync(Collection.Products, EscrowWorld.Product, "led|", 100, null)).Documents
            .First(d => d.Body.Contains("\"onHandAfter\":100", StringComparison.Ordinal));
        await world.Memory.CommitAsync(Collection.Products, EscrowWorld.Product,
            [new DocumentWrite.Replace(entry.Id, entry.Body.Replace("\"onHandAfter\":100", "\"onHandAfter\":101", StringComparison.Ordinal), entry.ETag)]);
        var productFindings = (await app.Invariants.CheckAsync(EscrowWorld.Product)).Violations;
        Assert.NotEmpty(productFindings);

        // ... and bucket 1's ledger cannot be read.
        var bucket = EscrowWorld.Bucket(1).Partition;
        var bucketEntry = await NewestLedgerDocumentAsync(world.Memory, bucket); // also the bucket's state: unreadable as well
        await world.Memory.CommitAsync(Collection.Products, bucket, [new DocumentWrite.Replace(bucketEntry.Id, "null", bucketEntry.ETag)]);

        var report = await app.Invariants.CheckAsync(EscrowWorld.Product);

        Assert.Contains(report.Violations, v => v.StartsWith("bucket 1: stored data the audit cannot read", StringComparison.Ordinal));
        Assert.All(productFindings, f => Assert.Contains(f, report.Violations));
    }

    /// <summary>The first document under <c>led|</c> (the newest): the store may answer a page empty with a token.</summary>
    private static async Task<StoredDocument> NewestLedgerDocumentAsync(InMemoryDocumentStore store, string partition)
    {
        string? token = null;
        do
        {
            var page = await store.QueryAsync(Collection.Products, partition, "led|", 1, token);
            if (page.Documents.Count > 0) return page.Documents[0];
            token = page.ContinuationToken;
        } while (token is not null);
        throw new InvalidOperationException($"{partition} has no ledger document.");
    }
}
