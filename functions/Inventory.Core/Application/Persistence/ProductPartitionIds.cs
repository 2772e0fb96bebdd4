using System.Globalization;
using Inventory.Domain;
using Inventory.Storage;

namespace Inventory.Application;

/// <summary>
/// Ids of the documents in a product's partition, and the type each is stored as (<see cref="DocumentWrite.Type"/>).
/// Ledger ids count down from long.MaxValue so that an ascending read, the only order every store gives cheaply,
/// returns the newest entry first. Only the product partition module (<see cref="ProductPartitions"/>) and tests use them.
/// </summary>
internal static class ProductPartitionIds
{
    public const string Product = "product";
    public const string Head = "head";
    public const string BalancePrefix = "bal|";
    /// <summary>An active reservation (and a closed one written before closed ones had their own prefix).</summary>
    public const string ReservationPrefix = "res|";
    /// <summary>A closed reservation (fulfilled, released, rejected): the audit and the active list never read these.</summary>
    public const string ClosedReservationPrefix = "rsc|";
    /// <summary>Open reservations of several orders: <c>rsb|{pack}|{first order id}</c> (<see cref="ReservationPack"/>).</summary>
    public const string PackPrefix = "rsb|";
    public const string OperationPrefix = "op|";
    /// <summary>A fulfilment or release applied to a reservation: <c>chg|{orderId}|{reference}</c>.</summary>
    public const string ChangePrefix = "chg|";
    public const string LedgerPrefix = "led|";
    /// <summary>A ledger checkpoint: <c>ckp|{19-digit inverted sequence}</c>, newest first like the ledger; a large one's parts follow it (<c>|{n:D3}</c>).</summary>
    public const string CheckpointPrefix = "ckp|";
    /// <summary>An escrow bucket made for the product: <c>bkt|{index}</c>, written before the bucket's partition is.</summary>
    public const string BucketPrefix = "bkt|";
    /// <summary>The product's open purchase orders and measured lead times (no type of its own: the container's default).</summary>
    public const string Supply = "supply";

    public static string Balance(string locationId) => BalancePrefix + locationId;
    public static string Reservation(string orderId) => ReservationPrefix + orderId;
    public static string ClosedReservation(string orderId) => ClosedReservationPrefix + orderId;
    /// <summary>Where a reservation in this state is stored: open under <c>res|</c>, closed under <c>rsc|</c>.</summary>
    public static string ReservationOf(ProductReservation reservation) =>
        reservation.Status == ReservationStatus.Active ? Reservation(reservation.OrderId) : ClosedReservation(reservation.OrderId);
    /// <summary>Every part of one pack name ('|' ends the name, so no name is read as another's prefix).</summary>
    public static string PackPrefixOf(string pack) => $"{PackPrefix}{pack}|";
    public static string PackPart(string pack, string firstOrderId) => PackPrefixOf(pack) + firstOrderId;
    public static string Operation(string operationKey) => OperationPrefix + operationKey;
    public static string Bucket(int index) => BucketPrefix + index.ToString(CultureInfo.InvariantCulture);
    public static string Change(string changeKey) => ChangePrefix + changeKey;
    public static string Ledger(long sequence) => LedgerPrefix + (long.MaxValue - sequence).ToString("D19", CultureInfo.InvariantCulture);
    /// <summary>The sequence a ledger document is named by (its last entry's).</summary>
    public static long LedgerSequence(string id) => long.MaxValue - long.Parse(id.AsSpan(LedgerPrefix.Length), CultureInfo.InvariantCulture);
    public static string Checkpoint(long sequence) => CheckpointPrefix + (long.MaxValue - sequence).ToString("D19", CultureInfo.InvariantCulture);
    /// <summary>Part n (from 1) of a checkpoint too large for one document: sorts right after it (<see cref="CheckpointParts"/>).</summary>
    public static string CheckpointPart(long sequence, int part) => Checkpoint(sequence) + "|" + part.ToString("D3", CultureInfo.InvariantCulture);
    /// <summary>Whether a <c>ckp|</c> id names a part, not a checkpoint's own document (<c>ckp|</c> and 19 digits).</summary>
    public static bool IsCheckpointPart(string id) => id.Length > CheckpointPrefix.Length + 19;
    public static string Operation(OperationKind kind, string reference) => Operation(ProductStock.OperationKey(kind, reference));

    private static readonly (string Prefix, string Type)[] Types =
    [
        (BalancePrefix, "balance"), (ReservationPrefix, "reservation"), (ClosedReservationPrefix, "reservation"), (PackPrefix, "reservationPack"), (OperationPrefix, "operation"), (ChangePrefix, "reservationChange"),
        (LedgerPrefix, "ledger"), (CheckpointPrefix, "ledgerCheckpoint"), (BucketPrefix, "escrowBucket"),
    ];

    /// <summary>The write with its document's type.</summary>
    public static DocumentWrite Typed(DocumentWrite write) => write with
    {
        Type = write.Id switch
        {
            Product => "product",
            Head => "head",
            var id => Types.FirstOrDefault(t => id.StartsWith(t.Prefix, StringComparison.Ordinal)).Type,
        },
    };
}

/// <summary>
/// The partition's head: the ledger sequence that every commit advances, which serialises commits on the product, the
/// daily shipped quantities that replenishment reads, and the product's balances (one per location, in location id
/// order). <see cref="Balances"/> null: the balances are <c>bal|</c> documents of their own (written before the head held
/// them, or too many for it, see <see cref="StockLayout"/>).
/// </summary>
/// <remarks><paramref name="Buckets"/>: the escrow buckets the product was ever granted to (null: none), so that every read of it knows.</remarks>
public sealed record StockHead(string ProductId, long LedgerSequence, IReadOnlyDictionary<string, long>? ShippedByDay = null,
    IReadOnlyList<StockBalance>? Balances = null, IReadOnlyList<int>? Buckets = null);

/// <summary>
/// While the head holds the balances, <c>bal|{locationId}</c> is only the location's index entry (what
/// <c>GET .../locations/{locationId}/stock</c> finds across partitions), written once when the product first holds a
/// balance there; its body is not read for quantities (a migrated product's old balance documents keep their last body).
/// </summary>
public sealed record BalanceMarker(string LocationId, string WarehouseId);

/// <summary>
/// Where a product's balances live: in the head while the product has at most <see cref="MaxHeadBalances"/> locations,
/// beyond that each in its own <c>bal|</c> document, as before the head held them. Eight keeps the head within about
/// 2 KiB (a balance is at most ~250 characters of JSON with ids of up to 128 characters: 8 of them, 90 days of
/// <c>shippedByDay</c> and the rest stay far below Table Storage's 64 KiB string property), so on Cosmos DB (charged per
/// started KB written) the head with its balances costs about what the head and one balance document cost, while a
/// commit writes one document fewer; and the switch to documents of their own writes nine, well within one transaction.
/// </summary>
internal static class StockLayout
{
    public const int MaxHeadBalances = 8;

    public static bool InHead(IReadOnlyCollection<StockBalance> balances) => balances.Count <= MaxHeadBalances;
}
