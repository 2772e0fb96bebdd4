using Inventory.Storage;
using Inventory.Testing;

namespace Inventory.Core.Tests.Workflows;

/// <summary>
/// A store that runs <see cref="AtIntent"/> just before a change's intent reaches it (another request racing the intent),
/// <see cref="AfterIntent"/> just after it landed (its driver stalled there while others run), and, with
/// <see cref="DieAtB"/>, kills the driver at its commit to product B (its process dies after shipping A).
/// </summary>
internal sealed class AtTheIntentStore(IDocumentStore inner) : DelegatingStore(inner)
{
    public Func<Task>? AtIntent { get; set; }
    public Func<Task>? AfterIntent { get; set; }
    public bool DieAtB { get; set; }

    public override async Task CommitAsync(Collection collection, string partition, IReadOnlyList<DocumentWrite> writes, CancellationToken cancellationToken = default)
    {
        var recordsIntent = collection == Collection.Orders && writes.Any(w => w is DocumentWrite.Create && w.Id.StartsWith("intent-open|", StringComparison.Ordinal));
        if (recordsIntent && AtIntent is { } atIntent)
        {
            AtIntent = null;
            await atIntent();
        }
        if (DieAtB && collection == Collection.Products && partition == "B")
            throw new StoreFaultException(0, FaultSide.BeforeApplying, collection, partition);
        await base.CommitAsync(collection, partition, writes, cancellationToken);
        if (recordsIntent && AfterIntent is { } afterIntent)
        {
            AfterIntent = null;
            await afterIntent();
        }
    }
}
