using System.Runtime.CompilerServices;
using System.Text;
using Inventory.Storage;

namespace Inventory.Application;

/// <summary>
/// The writes and bytes that <see cref="ProductPartitions.Changes"/> would produce (mirrored here; a test holds the two together) for the changes decided so far, counted
/// without building them, so a batch can stop growing before it passes the store's limits. Bytes are over-estimated
/// (the larger of UTF-16 and UTF-8, plus 1 KiB of envelope per write); each document is measured once, since domain
/// values are immutable and a change always makes a new one.
/// </summary>
internal sealed class CommitSize
{
    private const int EnvelopeBytes = 1024;
    private readonly ConditionalWeakTable<object, StrongBox<long>> measured = [];

    public (int Writes, long Bytes) Of(LoadedStock loaded)
    {
        var stock = loaded.Stock;
        var writes = 0;
        long bytes = 0;
        void Add(object document) { writes++; bytes += Measure(document); }

        if (stock.NewEntries.Count > 0)
            Add(new StockHead(stock.ProductId, stock.LedgerSequence, stock.Demand.ShippedByDay.Count > 0 ? stock.Demand.ShippedByDay : null));
        foreach (var locationId in stock.ChangedBalances) Add(stock.Balance(locationId)!);
        foreach (var orderId in stock.ChangedReservations) Add(stock.Reservation(orderId)!);
        foreach (var record in stock.NewOperations) Add(record);
        foreach (var entry in stock.NewEntries) Add(entry);
        return (writes, bytes);
    }

    public static bool Fits((int Writes, long Bytes) size, StoreLimits limits) =>
        size.Writes <= limits.MaxWritesPerCommit && size.Bytes <= limits.MaxCommitBytes;

    private long Measure(object document) =>
        measured.GetValue(document, d =>
        {
            var body = DocumentJson.Write(d);
            return new StrongBox<long>(Math.Max(body.Length * 2L, Encoding.UTF8.GetByteCount(body)) + EnvelopeBytes);
        }).Value;
}
