using Inventory.Application;
using Inventory.Application.Stock;
using Inventory.Domain;

namespace Inventory.Core.Tests.Escrow;

/// <summary>
/// Found in review (eff60d2): the full audit of a product in escrow goes on into every bucket
/// <c>BucketsWithRecordsAsync</c> names, marked ones too. A bucket only marked (an instance died between
/// <c>MarkBucketAsync</c> and the copy that makes its partition) has no partition at all: its page starts with the live
/// check, which finds no product there and throws <c>ProductNotFoundException</c>, so the product's own full audit,
/// sound as it is, ends in a 404 for the product the operator just audited and can never reach its last page.
/// </summary>
public class AFullAuditOfAProductWhoseBucketIsOnlyMarkedHoldsTests
{
    [Fact]
    public async Task The_full_audit_of_a_product_with_a_marked_bucket_never_made_ends_holding()
    {
        var world = await EscrowWorld.CreateAsync(atL1: 100);
        var app = world.Instance(1);
        // An instance marked bucket 2 and died before it made the bucket's partition.
        await app.Partitions.MarkBucketAsync(EscrowWorld.Product, 2, CancellationToken.None);

        var findings = new List<string>();
        string? token = null;
        var pages = 0;
        InvariantReport? page = null;
        Exception? thrown = null;
        try
        {
            do
            {
                page = await app.Invariants.CheckFullAsync(EscrowWorld.Product, token);
                findings.AddRange(page.Violations);
                token = page.ContinuationToken;
            } while (token is not null && ++pages < 100);
        }
        catch (DomainException e) { thrown = e; }

        Assert.True(thrown is null,
            $"the full audit of P failed on the page of bucket 2, only marked, with {thrown?.GetType().Name}: {thrown?.Message}");
        Assert.Null(token);
        Assert.Empty(findings);
        Assert.Equal(0, page!.VerifiedDownTo);
    }
}
