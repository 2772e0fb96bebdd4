using Inventory.Storage;
using Inventory.Testing;

namespace Inventory.Core.Tests.Escrow;

/// <summary>
/// An instance that stalls: its first commit in <paramref name="partition"/> waits for <see cref="Release"/>, then goes
/// on. Unless it <paramref name="livesOn"/>, the instance then dies: every later commit fails.
/// </summary>
internal sealed class StallingStore(IDocumentStore inner, string partition, bool livesOn) : DelegatingStore(inner)
{
    public TaskCompletionSource Stalled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int state; // 0: before the stall, 1: stalled (its commit goes on once released), 2: dead, 3: lived on

    public override async Task CommitAsync(Collection collection, string p, IReadOnlyList<DocumentWrite> writes, CancellationToken ct = default)
    {
        if (Volatile.Read(ref state) == 2) throw new IOException("the instance died");
        if (collection == Collection.Products && p == partition && Interlocked.CompareExchange(ref state, 1, 0) == 0)
        {
            Stalled.SetResult();
            await Release.Task;
            try { await base.CommitAsync(collection, p, writes, ct); }
            finally { Volatile.Write(ref state, livesOn ? 3 : 2); }
            return;
        }
        await base.CommitAsync(collection, p, writes, ct);
    }
}
