using Inventory.Storage;

namespace Inventory.Testing;

/// <summary>Holds the first commit to one partition of a collection until released: a save stalled mid-way, for race tests.</summary>
public sealed class GateFirstCommit(IDocumentStore inner, Collection gated, string gatedPartition) : DelegatingStore(inner)
{
    public TaskCompletionSource Reached { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int passed;

    public override async Task CommitAsync(Collection collection, string partition, IReadOnlyList<DocumentWrite> writes, CancellationToken cancellationToken = default)
    {
        if (collection == gated && partition == gatedPartition && Interlocked.Exchange(ref passed, 1) == 0)
        {
            Reached.SetResult();
            await Release.Task;
        }
        await base.CommitAsync(collection, partition, writes, cancellationToken);
    }
}
