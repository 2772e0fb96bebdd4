using Inventory.Domain;
using Inventory.Storage;

namespace Inventory.Application.Orders;

/// <summary>
/// The orders' persistence: order headers and their saga state, the index of open sagas, the hold index, and an order's
/// reservation read from each product partition. Every id and partition name of these documents is spelled here.
/// </summary>
public sealed partial class OrderHeaders(IDocumentStore store, ConcurrencyOptions? concurrencyOptions = null)
{
    private readonly OptimisticConcurrency concurrency = new(concurrencyOptions ?? new ConcurrencyOptions());

    public async Task<OrderRecord?> FindAsync(string orderId, CancellationToken ct)
    {
        var docs = await store.ReadAsync(Collection.Orders, orderId, [DocumentIds.Order], [], ct);
        return docs.Count == 0 ? null : DocumentJson.Read<OrderRecord>(docs[0].Body);
    }

    public async Task<OrderRecord> GetAsync(string orderId, CancellationToken ct) =>
        await FindAsync(orderId, ct) ?? throw new ReservationNotFoundException(orderId);

    /// <summary>Creates the header, or finds the one a previous attempt created. Returns whether this call created it.</summary>
    public async Task<(OrderRecord Order, bool Created)> ClaimAsync(OrderRecord order, CancellationToken ct)
    {
        if (await OptimisticConcurrency.CreateOnceAsync(store, Collection.Orders, order.OrderId,
                [new DocumentWrite.Create(DocumentIds.Order, DocumentJson.Write(order))], ct))
            return (order, true);
        var existing = await GetAsync(order.OrderId, ct);
        if (existing.Fingerprint != order.Fingerprint) throw new OrderConflictException(order.OrderId);
        return (existing, false);
    }

    /// <summary>
    /// Moves the header's saga on under its ETag: <paramref name="change"/> sees the stored header and returns it unchanged
    /// (the same instance) when there is nothing to do, for instance because another driver of the saga got further.
    /// Returns the header as stored afterwards.
    /// </summary>
    public Task<OrderRecord> ChangeAsync(string orderId, Func<OrderRecord, OrderRecord> change, CancellationToken ct) =>
        concurrency.RunAsync(orderId, async _ =>
        {
            var docs = await store.ReadAsync(Collection.Orders, orderId, [DocumentIds.Order], [], ct);
            if (docs.Count == 0) throw new ReservationNotFoundException(orderId);
            var current = DocumentJson.Read<OrderRecord>(docs[0].Body);
            var next = change(current);
            if (ReferenceEquals(next, current)) return current;
            await store.CommitAsync(Collection.Orders, orderId, [new DocumentWrite.Replace(DocumentIds.Order, DocumentJson.Write(next), docs[0].ETag)], ct);
            return next;
        }, ct);

    public async Task<IReadOnlyDictionary<string, ProductReservation?>> ReservationsAsync(OrderRecord order, CancellationToken ct)
    {
        var reads = order.Lines.Select(async l =>
        {
            var docs = await store.ReadAsync(Collection.Products, l.ProductId, [DocumentIds.Reservation(order.OrderId)], [], ct);
            return KeyValuePair.Create(l.ProductId, docs.Count == 0 ? null : DocumentJson.Read<ProductReservation>(docs[0].Body));
        });
        return new Dictionary<string, ProductReservation?>(await Task.WhenAll(reads), StringComparer.Ordinal);
    }

    public async Task<ReservationView> ViewAsync(string orderId, CancellationToken ct)
    {
        var order = await GetAsync(orderId, ct);
        return ReservationView.From(order, await ReservationsAsync(order, ct));
    }
}
