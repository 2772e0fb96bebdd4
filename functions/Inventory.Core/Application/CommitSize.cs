using System.Runtime.CompilerServices;
using System.Text;
using Inventory.Storage;

namespace Inventory.Application;

/// <summary>
/// The writes and bytes that <see cref="ProductPartitions.Changes"/> would produce for the changes decided so far,
/// counted from the same list of changed documents without serialising them twice, so a batch can stop growing before it passes the store's limits. Bytes are over-estimated
/// (the larger of UTF-16 and UTF-8, plus 1 KiB of envelope per write); each document is measured once, since domain
/// values are immutable and a change always makes a new one.
/// </summary>
internal sealed class CommitSize
{
    private const int EnvelopeBytes = 1024;
    private readonly ConditionalWeakTable<object, StrongBox<long>> measured = [];

    public (int Writes, long Bytes) Of(LoadedStock loaded)
    {
        var writes = 0;
        long bytes = 0;
        foreach (var (_, document, _) in ProductPartitions.ChangedDocuments(loaded))
        {
            writes++;
            bytes += Measure(document);
        }
        return (writes, bytes);
    }

    public static bool Fits((int Writes, long Bytes) size, StoreLimits limits) =>
        size.Writes <= limits.MaxWritesPerCommit && size.Bytes <= limits.MaxCommitBytes;

    // A ledger or reservation pack is new at each count (its entries are not): it is measured from its entries, each once.
    private long Measure(object document) => document is LedgerPack pack ? pack.Bytes + EnvelopeBytes
        : document is ReservationPack part ? part.Bytes + EnvelopeBytes :
        measured.GetValue(document, d =>
        {
            var body = DocumentJson.Write(d);
            return new StrongBox<long>(Math.Max(body.Length * 2L, Encoding.UTF8.GetByteCount(body)) + EnvelopeBytes);
        }).Value;
}
