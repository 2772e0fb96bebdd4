using Inventory.Application;
using Inventory.Application.Escrow;
using Inventory.Application.Orders;
using Inventory.Application.Stock;
using Inventory.Storage;
using Inventory.Testing;

namespace Inventory.Core.Tests.Escrow;

/// <summary>
/// Found in review: the full audit (<c>InvariantChecker.CheckFullAsync</c>) of a product in escrow walks the product's
/// own ledger down to its first entry, but each bucket's only from the bucket's newest checkpoint up (the live check).
/// Below that, a bucket's ledger (every order reserved, released and shipped in it, every grant it received) is never
/// verified: an entry missing there is reported by no page, and the audit says the books hold to the first entry. A
/// bucket is a partition no operator can audit alone ('~' is refused in every id).
/// </summary>
public class AFullAuditOfAProductInEscrowWalksItsBucketsLedgersTests
{
    private const int Every = 10;

    [Fact]
    public async Task An_entry_missing_from_a_buckets_ledger_below_its_checkpoint_is_reported_by_the_full_audit()
    {
        var world = await EscrowWorld.CreateAsync(atL1: 1000);
        var app = new InventoryApplication(world.Store, ledger: new LedgerOptions { CheckpointEvery = Every })
        {
            EscrowOptions = new EscrowOptions { Products = new HashSet<string>(StringComparer.Ordinal) { EscrowWorld.Product }, Buckets = 4, Bucket = 1 },
        };
        for (var i = 0; i < 40; i++) // one RESERVE entry a commit in bucket 1, past several of its checkpoints
            await app.Reserve.ExecuteAsync(new ReserveCommand($"O{i:D2}", [new(EscrowWorld.Product, 1)]));
        Assert.True((await app.Invariants.CheckFullAsync(EscrowWorld.Product)).Holds);

        // Entry 5 of bucket 1's ledger (an order's RESERVE, well below the bucket's newest checkpoint) is lost.
        var doc = Assert.Single(await world.Memory.ReadAsync(Collection.Products, "P~1", [ProductPartitionIds.Ledger(5)], []));
        await world.Memory.CommitAsync(Collection.Products, "P~1", [new DocumentWrite.Delete(doc.Id, doc.ETag)]);

        // What the bucket's own full audit finds (the walk the product's audit leaves out).
        Assert.Contains(await FullAuditAsync(app, "P~1"), f => f.Contains("gap", StringComparison.OrdinalIgnoreCase));

        var findings = new List<string>();
        string? token = null;
        var pages = 0;
        InvariantReport page;
        do
        {
            page = await app.Invariants.CheckFullAsync(EscrowWorld.Product, token);
            findings.AddRange(page.Violations);
            token = page.ContinuationToken;
        } while (token is not null && ++pages < 100);

        Assert.Equal(0, page.VerifiedDownTo); // the audit says it read the books down to the first entry
        Assert.True(findings.Count > 0, "the full audit of P holds with an entry missing from bucket 1's ledger below its newest checkpoint");
    }

    private static async Task<List<string>> FullAuditAsync(InventoryApplication app, string partition)
    {
        var findings = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await app.Invariants.CheckFullAsync(partition, token);
            findings.AddRange(page.Violations);
            token = page.ContinuationToken;
        } while (token is not null && ++pages < 100);
        return findings;
    }
}
