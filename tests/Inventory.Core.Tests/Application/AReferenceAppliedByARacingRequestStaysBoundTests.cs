using Inventory.Application.Stock;
using Inventory.Domain;
using Inventory.Storage;
using Inventory.Testing;

namespace Inventory.Core.Tests.Application;

/// <summary>
/// Found in review: A direct adjustment id is bound to one product by its reference claim. Two instances take the same id for
/// the same product with different bodies: P claims it (bound by P), Q finds it bound to the same product and applies
/// first; P's commit then meets Q's record, a reference-conflict (right), and P, having "bound" the claim, releases it
/// although the id is now applied on that product. The claim gone, the same id for another product applies there too:
/// one adjustment id moved two products. A refusal may only unbind a claim whose reference is recorded nowhere.
/// </summary>
public class AReferenceAppliedByARacingRequestStaysBoundTests
{
    /// <summary>Runs <see cref="After"/> once, right after the first commit of a reference claim.</summary>
    private sealed class AfterClaim(IDocumentStore inner) : DelegatingStore(inner)
    {
        public Func<Task>? After { get; set; }

        public override async Task CommitAsync(Collection collection, string partition, IReadOnlyList<DocumentWrite> writes, CancellationToken ct = default)
        {
            await base.CommitAsync(collection, partition, writes, ct);
            if (collection == Collection.Orders && partition.StartsWith(ReferenceClaims.PartitionPrefix, StringComparison.Ordinal) && After is { } after)
            {
                After = null;
                await after();
            }
        }
    }

    [Fact]
    public async Task An_id_applied_by_the_racing_request_is_still_refused_for_another_product()
    {
        var store = new InMemoryDocumentStore();
        var q = await StockScenario.TwoProductsAsync(store, a: 10, b: 10); // instance 2
        var hooked = new AfterClaim(store);
        var p = StockScenario.Over(hooked);                                  // instance 1

        // Q (instance 2) runs between P's claim and P's commit: same id, same product, another body.
        hooked.After = () => q.App.Adjust.ExecuteAsync(new AdjustCommand("A", "L1", -2, null, "damaged", "adj-shared"));
        await Assert.ThrowsAsync<ReferenceConflictException>(() =>
            p.App.Adjust.ExecuteAsync(new AdjustCommand("A", "L1", -3, null, "damaged", "adj-shared")));
        Assert.Equal(8, (await q.App.Stock.GetStockAsync("A")).QuantityOnHand); // Q applied, once

        // The id is applied on A: for B it is a reference conflict and changes nothing.
        await Assert.ThrowsAsync<ReferenceConflictException>(() =>
            q.App.Adjust.ExecuteAsync(new AdjustCommand("B", "L1", -2, null, "damaged", "adj-shared")));
        Assert.Equal(10, (await q.App.Stock.GetStockAsync("B")).QuantityOnHand);
    }
}
