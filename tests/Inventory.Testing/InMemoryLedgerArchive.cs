using System.Collections.Concurrent;
using Inventory.Storage;

namespace Inventory.Testing;

/// <summary>
/// The ledger archive in memory, create-only like the Blob adapter. <see cref="FailWrites"/> makes a write fail before
/// it is stored (an outage); <see cref="LoseAcknowledgement"/> stores it and then fails (the answer lost on the way back).
/// </summary>
public sealed class InMemoryLedgerArchive : ILedgerArchive
{
    private readonly ConcurrentDictionary<string, byte[]> parts = new(StringComparer.Ordinal);

    public bool FailWrites { get; set; }
    public bool LoseAcknowledgement { get; set; }
    public int Writes => writes;
    private int writes;

    public IReadOnlyCollection<string> Names => parts.Keys.Order(StringComparer.Ordinal).ToArray();

    public Task<IReadOnlyList<LedgerArchivePart>> ListAsync(string productId, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<LedgerArchivePart>>(parts.Keys.Where(n => n.StartsWith(productId + "/", StringComparison.Ordinal))
            .Select(LedgerArchivePart.Parse).OfType<LedgerArchivePart>().OrderBy(p => p.FirstSequence).ToArray());

    public Task<bool> WriteAsync(LedgerArchivePart part, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        if (FailWrites) throw new StoreUnavailableException("archive", "write refused (test)");
        Interlocked.Increment(ref writes);
        var added = parts.TryAdd(part.Name, content.ToArray());
        if (LoseAcknowledgement) throw new StoreUnavailableException("archive", "acknowledgement lost (test)");
        return Task.FromResult(added);
    }

    public Task<byte[]> ReadAsync(LedgerArchivePart part, CancellationToken cancellationToken = default) =>
        parts.TryGetValue(part.Name, out var bytes) ? Task.FromResult(bytes)
            : throw new StoreUnavailableException("archive", $"no part {part.Name}");
}
