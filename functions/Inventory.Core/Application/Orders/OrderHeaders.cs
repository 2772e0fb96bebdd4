using Inventory.Domain;
using Inventory.Storage;

namespace Inventory.Application.Orders;

/// <summary>Reads and claims order headers, and reads an order's reservation from each product partition.</summary>
public sealed class OrderHeaders(IDocumentStore store)
{
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
