using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json.Serialization;
using Inventory.Domain;

namespace Inventory.Application;

/// <summary>
/// Open reservations of several one-product orders in one document of the product's partition,
/// <c>rsb|{pack}|{first order id}</c> (issue 14): a coalesced batch of N new orders writes one document per pack name
/// among them (about one or two), not N. The pack name is chosen when the order is claimed and kept on its header
/// (<see cref="Orders.OrderRecord.Pack"/>), so a reader by order id reads the prefix <c>rsb|{pack}|</c> beside
/// <c>res|</c> and <c>rsc|</c>. A pack holds open reservations only: a change rewrites the part under its ETag, a
/// reservation that closes leaves it (for <c>rsc|</c>, in the same commit), and the last one to leave deletes it.
/// </summary>
internal sealed record ReservationPack(string Pack, IReadOnlyList<ProductReservation> Reservations)
{
    /// <summary>Bytes a store's envelope may add to a document (id, partition key, type), and the pack's own JSON.</summary>
    private const int EnvelopeBytes = 1024, WrapperBytes = 256;

    private static readonly ConditionalWeakTable<ProductReservation, StrongBox<long>> Measured = [];

    /// <summary>What is stored: the pack name, and the reservations with what they all have written once (<see cref="SharedValues"/>).</summary>
    [JsonIgnore]
    public object Document => SharedValues.Compact(Reservations, "reservations", ("pack", Pack));

    /// <summary>A stored part (its reservations whole).</summary>
    public static ReservationPack Read(string body)
    {
        using var json = System.Text.Json.JsonDocument.Parse(body);
        return new ReservationPack(json.RootElement.GetProperty("pack").GetString()!, SharedValues.Expand<ProductReservation>(json.RootElement, "reservations"));
    }

    /// <summary>An upper bound of the stored body's bytes (as if nothing were shared), each reservation measured once (they are immutable).</summary>
    [JsonIgnore]
    public long Bytes => WrapperBytes + Pack.Length * 2L + Reservations.Sum(r => BytesOf(r) + 2);

    /// <summary>The id of the part holding <paramref name="reservations"/> (never empty): named by its first order id, unique since an order is reserved once.</summary>
    public static string IdOf(string pack, IEnumerable<ProductReservation> reservations) =>
        ProductPartitionIds.PackPart(pack, reservations.Select(r => r.OrderId).Min(StringComparer.Ordinal)!);

    /// <summary>New reservations of one pack name in parts of at most <paramref name="maxDocumentBytes"/> (less an envelope), by order id.</summary>
    public static IEnumerable<ReservationPack> Of(string pack, IEnumerable<ProductReservation> reservations, int maxDocumentBytes)
    {
        var room = maxDocumentBytes - EnvelopeBytes - WrapperBytes - pack.Length * 2L;
        var part = new List<ProductReservation>();
        long bytes = 0;
        foreach (var reservation in reservations.OrderBy(r => r.OrderId, StringComparer.Ordinal))
        {
            var size = BytesOf(reservation) + 2;
            if (part.Count > 0 && bytes + size > room)
            {
                yield return new ReservationPack(pack, part.ToArray());
                part.Clear();
                bytes = 0;
            }
            part.Add(reservation);
            bytes += size;
        }
        if (part.Count > 0) yield return new ReservationPack(pack, part.ToArray());
    }

    private static long BytesOf(ProductReservation reservation) =>
        Measured.GetValue(reservation, r =>
        {
            var body = DocumentJson.Write(r);
            return new StrongBox<long>(Math.Max(body.Length * 2L, Encoding.UTF8.GetByteCount(body)));
        }).Value;
}
