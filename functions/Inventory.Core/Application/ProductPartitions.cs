using Inventory.Domain;
using Inventory.Storage;

namespace Inventory.Application;

/// <summary>What to read of a product's partition besides the product, its head and its balances.</summary>
public sealed record StockRead(IReadOnlyCollection<string> OrderIds, IReadOnlyCollection<string> OperationKeys, bool AllReservations = false,
    IReadOnlyCollection<string>? ChangeKeys = null)
{
    public static StockRead BalancesOnly { get; } = new([], []);
    public static StockRead ForOrder(string orderId) => new([orderId], []);
    /// <summary>An order's reservation and the record of one change (fulfilment or release) applied to it, if it was.</summary>
    public static StockRead ForChange(string orderId, string reference) => new([orderId], [], ChangeKeys: [ProductStock.ChangeKey(orderId, reference)]);
    public static StockRead ForOperation(OperationKind kind, string reference) => new([], [ProductStock.OperationKey(kind, reference)]);
}

/// <summary>A product partition as read: the domain state plus the ETag of every document it came from.</summary>
public sealed class LoadedStock(ProductStock stock, IReadOnlyDictionary<string, string> etags)
{
    public ProductStock Stock { get; } = stock;
    public IReadOnlyDictionary<string, string> ETags { get; } = etags;
    /// <summary>The ledger checkpoint interval its commit follows (<see cref="LedgerOptions.CheckpointEvery"/>).</summary>
    public int CheckpointEvery { get; init; } = LedgerOptions.DefaultCheckpointEvery;
}

/// <summary>Maps a product partition's documents to <see cref="ProductStock"/> and its decided changes back to one conditioned commit.</summary>
public sealed class ProductPartitions(IDocumentStore store, LedgerOptions? ledger = null)
{
    public IDocumentStore Store => store;
    public LedgerOptions Ledger { get; } = ledger ?? new LedgerOptions();

    public async Task<LoadedStock?> LoadAsync(string productId, StockRead read, CancellationToken ct = default)
    {
        var ids = new List<string> { DocumentIds.Product, DocumentIds.Head };
        var prefixes = new List<string> { DocumentIds.BalancePrefix };
        if (read.AllReservations) prefixes.Add(DocumentIds.ReservationPrefix);
        else ids.AddRange(read.OrderIds.Select(DocumentIds.Reservation));
        ids.AddRange(read.OperationKeys.Select(DocumentIds.Operation));
        ids.AddRange((read.ChangeKeys ?? []).Select(DocumentIds.Change));

        var docs = await store.ReadAsync(Collection.Products, productId, ids, prefixes, ct);
        var byId = docs.ToDictionary(d => d.Id, StringComparer.Ordinal);
        if (!byId.TryGetValue(DocumentIds.Product, out var productDoc)) return null;

        var head = byId.TryGetValue(DocumentIds.Head, out var headDoc) ? DocumentJson.Read<StockHead>(headDoc.Body) : new StockHead(productId, 0);
        var balances = docs.Where(d => d.Id.StartsWith(DocumentIds.BalancePrefix, StringComparison.Ordinal))
            .Select(d => DocumentJson.Read<StockBalance>(d.Body));
        var reservations = read.AllReservations
            ? docs.Where(d => d.Id.StartsWith(DocumentIds.ReservationPrefix, StringComparison.Ordinal))
                .Select(d => DocumentJson.Read<ProductReservation>(d.Body))
                .Select(r => KeyValuePair.Create(r.OrderId, (ProductReservation?)r))
            : read.OrderIds.Select(o => KeyValuePair.Create(o,
                byId.TryGetValue(DocumentIds.Reservation(o), out var d) ? DocumentJson.Read<ProductReservation>(d.Body) : null));
        var operations = read.OperationKeys.Select(k => KeyValuePair.Create(k,
            byId.TryGetValue(DocumentIds.Operation(k), out var d) ? DocumentJson.Read<OperationRecord>(d.Body) : null));
        var changes = (read.ChangeKeys ?? []).Select(k => KeyValuePair.Create(k,
            byId.TryGetValue(DocumentIds.Change(k), out var d) ? DocumentJson.Read<AppliedChange>(d.Body) : null));

        var stock = new ProductStock(DocumentJson.Read<Product>(productDoc.Body), head.LedgerSequence, balances, reservations, operations,
            new DemandHistory(head.ShippedByDay), changes);
        return new LoadedStock(stock, docs.ToDictionary(d => d.Id, d => d.ETag, StringComparer.Ordinal)) { CheckpointEvery = Ledger.CheckpointEvery };
    }

    /// <summary>
    /// The one transaction that records every decision made on <paramref name="loaded"/>: replaces conditioned on the ETags
    /// read, creates (must not exist) for new documents, operation records, every ledger entry and the ledger checkpoint
    /// when the entries reach one (<see cref="LedgerCheckpoint.After"/>). The head is always
    /// among the replaces when stock moved, so two commits that both read the same state can never both succeed.
    /// </summary>
    public static IReadOnlyList<DocumentWrite> Changes(LoadedStock loaded) =>
        ChangedDocuments(loaded).Select(c => c.AlwaysNew || !loaded.ETags.TryGetValue(c.Id, out var etag)
            ? (DocumentWrite)new DocumentWrite.Create(c.Id, DocumentJson.Write(c.Document))
            : new DocumentWrite.Replace(c.Id, DocumentJson.Write(c.Document), etag)).ToArray();

    /// <summary>
    /// The documents the decisions on <paramref name="loaded"/> change, in commit order: the one list both
    /// <see cref="Changes"/> and the coalescing's size estimate (<see cref="CommitSize"/>) are made from.
    /// <c>AlwaysNew</c>: created whatever was read (operation records, ledger entries, checkpoints).
    /// </summary>
    internal static IEnumerable<(string Id, object Document, bool AlwaysNew)> ChangedDocuments(LoadedStock loaded)
    {
        var stock = loaded.Stock;
        if (stock.NewEntries.Count > 0)
            yield return (DocumentIds.Head, new StockHead(stock.ProductId, stock.LedgerSequence,
                stock.Demand.ShippedByDay.Count > 0 ? stock.Demand.ShippedByDay : null), false);
        foreach (var locationId in stock.ChangedBalances)
            yield return (DocumentIds.Balance(locationId), stock.Balance(locationId)!, false);
        foreach (var orderId in stock.ChangedReservations)
            yield return (DocumentIds.Reservation(orderId), stock.Reservation(orderId)!, false);
        foreach (var record in stock.NewOperations)
            yield return (DocumentIds.Operation(record.Kind, record.Reference), record, true);
        foreach (var change in stock.NewChanges)
            yield return (DocumentIds.Change(ProductStock.ChangeKey(change.OrderId, change.Reference)), change, true);
        foreach (var entry in stock.NewEntries)
            yield return (DocumentIds.Ledger(entry.Sequence), entry, true);
        if (LedgerCheckpoint.After(stock, loaded.CheckpointEvery) is { } checkpoint)
            yield return (DocumentIds.Checkpoint(checkpoint.Sequence), checkpoint, true);
    }

    public Task CommitAsync(LoadedStock loaded, CancellationToken ct = default) =>
        store.CommitAsync(Collection.Products, loaded.Stock.ProductId, Changes(loaded), ct);
}
