using System.Globalization;
using Inventory.Domain;

namespace Inventory.Application;

/// <summary>
/// Ids of the documents in a product's partition. Ledger ids count down from long.MaxValue so that an ascending read,
/// the only order every store gives cheaply, returns the newest entry first.
/// </summary>
public static class DocumentIds
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
    public const string Order = "order";
    public const string Warehouse = "warehouse";
    public const string LocationPrefix = "loc|";
    public const string LocationIndex = "location";
    public const string SkuClaim = "sku";
    /// <summary>In an order's partition: a Shopify webhook delivery this service has handled.</summary>
    public const string ShopifyDeliveryPrefix = "shopify-delivery|";

    public static string Balance(string locationId) => BalancePrefix + locationId;
    public static string Reservation(string orderId) => ReservationPrefix + orderId;
    public static string Operation(string operationKey) => OperationPrefix + operationKey;
    public static string Change(string changeKey) => ChangePrefix + changeKey;
    public static string Ledger(long sequence) => LedgerPrefix + (long.MaxValue - sequence).ToString("D19", CultureInfo.InvariantCulture);
    public static string Checkpoint(long sequence) => CheckpointPrefix + (long.MaxValue - sequence).ToString("D19", CultureInfo.InvariantCulture);
    public static string Location(string locationId) => LocationPrefix + locationId;
    public static string Operation(OperationKind kind, string reference) => Operation(ProductStock.OperationKey(kind, reference));
}

/// <summary>
/// The partition's head: the ledger sequence that every commit advances, which serialises commits on the product, and
/// the daily shipped quantities that replenishment reads.
/// </summary>
public sealed record StockHead(string ProductId, long LedgerSequence, IReadOnlyDictionary<string, long>? ShippedByDay = null);
