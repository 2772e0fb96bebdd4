using Inventory.Application;
using Inventory.Domain;
using Inventory.Storage;

namespace Inventory.Core.Tests;

/// <summary>
/// The orders whose reservation a product commit writes, wherever it is stored: its own document (<c>res|</c>,
/// <c>rsc|</c>) or a reservation pack (<c>rsb|</c>, several orders in one document).
/// </summary>
internal static class ReservationWrites
{
    public static IEnumerable<string> Orders(IEnumerable<DocumentWrite> writes) => writes.SelectMany(w => w switch
    {
        { Id: var id } when id.StartsWith(ProductPartitionIds.ReservationPrefix, StringComparison.Ordinal) => [id[ProductPartitionIds.ReservationPrefix.Length..]],
        { Id: var id } when id.StartsWith(ProductPartitionIds.ClosedReservationPrefix, StringComparison.Ordinal) => [id[ProductPartitionIds.ClosedReservationPrefix.Length..]],
        DocumentWrite.Create c when c.Id.StartsWith(ProductPartitionIds.PackPrefix, StringComparison.Ordinal) => PackedOrders(c.Body),
        DocumentWrite.Replace r when r.Id.StartsWith(ProductPartitionIds.PackPrefix, StringComparison.Ordinal) => PackedOrders(r.Body),
        _ => [],
    });

    /// <summary>Whether the commit writes a reservation of an order whose id starts so.</summary>
    public static bool Reserves(IEnumerable<DocumentWrite> writes, string orderIdPrefix) =>
        Orders(writes).Any(o => o.StartsWith(orderIdPrefix, StringComparison.Ordinal));

    /// <summary>The open reservations a stored pack part holds.</summary>
    public static IReadOnlyList<ProductReservation> Packed(string body) => ReservationPack.Read(body).Reservations;

    private static IEnumerable<string> PackedOrders(string body) => Packed(body).Select(r => r.OrderId);
}
