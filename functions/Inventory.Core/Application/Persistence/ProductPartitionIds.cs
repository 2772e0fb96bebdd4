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
    public const string ReservationPrefix = "res|";
    public const string OperationPrefix = "op|";
    /// <summary>A fulfilment or release applied to a reservation: <c>chg|{orderId}|{reference}</c>.</summary>
    public const string ChangePrefix = "chg|";
    public const string LedgerPrefix = "led|";
    /// <summary>A ledger checkpoint: <c>ckp|{19-digit inverted sequence}</c>, newest first like the ledger.</summary>
    public const string CheckpointPrefix = "ckp|";
    /// <summary>The product's open purchase orders and measured lead times (no type of its own: the container's default).</summary>
    public const string Supply = "supply";

    public static string Balance(string locationId) => BalancePrefix + locationId;
    public static string Reservation(string orderId) => ReservationPrefix + orderId;
    public static string Operation(string operationKey) => OperationPrefix + operationKey;
    public static string Change(string changeKey) => ChangePrefix + changeKey;
    public static string Ledger(long sequence) => LedgerPrefix + (long.MaxValue - sequence).ToString("D19", CultureInfo.InvariantCulture);
    public static string Checkpoint(long sequence) => CheckpointPrefix + (long.MaxValue - sequence).ToString("D19", CultureInfo.InvariantCulture);
    public static string Operation(OperationKind kind, string reference) => Operation(ProductStock.OperationKey(kind, reference));

    private static readonly (string Prefix, string Type)[] Types =
    [
        (BalancePrefix, "balance"), (ReservationPrefix, "reservation"), (OperationPrefix, "operation"), (ChangePrefix, "reservationChange"),
        (LedgerPrefix, "ledger"), (CheckpointPrefix, "ledgerCheckpoint"),
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
public sealed record StockHead(string ProductId, long LedgerSequence, IReadOnlyDictionary<string, long>? ShippedByDay = null,
    IReadOnlyList<StockBalance>? Balances = null);

/// <summary>
/// While the head holds the balances, <c>bal|{locationId}</c> is only the location's index entry (what
/// <c>GET .../locations/{locationId}/stock</c> finds across partitions), written once when the product first holds a
/// balance there; its body is not read for quantities (a migrated product's old balance documents keep their last body).
/// </summary>
public sealed record BalanceMarker(string LocationId, string WarehouseId);

/// <summary>
/// Where a product's balances live. In the head while they are few enough that the head stays small (and a switch to
/// documents of their own fits in one commit); beyond that each in its own <c>bal|</c> document, as before the head held them.
/// </summary>
internal static class StockLayout
{
    /// <summary>Balances the head holds at most: the switch to documents writes each once, well within 100 writes.</summary>
    public const int MaxHeadBalances = 64;
    /// <summary>A balance's JSON in characters, its ids aside (two timestamps, 9-digit quantities, the location type: 240), rounded up.</summary>
    private const int BalanceChars = 250;

    /// <summary>
    /// Whether the head holds these balances: at most <see cref="MaxHeadBalances"/>, within 5/8 of the store's document
    /// (counted as UTF-16, as Table Storage stores the body), which leaves room for <c>shippedByDay</c> (90 days, ~5 KiB).
    /// </summary>
    public static bool InHead(IReadOnlyCollection<StockBalance> balances, int maxDocumentBytes) =>
        balances.Count <= MaxHeadBalances
        && balances.Sum(b => (long)BalanceChars + b.LocationId.Length + b.WarehouseId.Length) * 2 <= maxDocumentBytes / 8 * 5;
}
