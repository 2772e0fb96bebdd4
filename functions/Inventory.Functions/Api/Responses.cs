using System.Buffers.Text;
using System.Text;
using Inventory.Application.Catalog;
using Inventory.Application.Stock;
using Inventory.Domain;

namespace Inventory.Functions.Api;

public sealed record WarehouseResponse(
    string WarehouseId, string Name, Address? Address, string Timezone, decimal CapacityCubicMeters, IReadOnlyList<Location> Locations)
{
    public static WarehouseResponse From(WarehouseView v) =>
        new(v.Warehouse.WarehouseId, v.Warehouse.Name, v.Warehouse.Address, v.Warehouse.Timezone, v.Warehouse.CapacityCubicMeters, v.Locations);
}

/// <summary>The outcome of an adjustment, transfer or receipt: the balances it left at the locations it touched.</summary>
public sealed record MovementResponse(
    string ProductId, OperationKind Kind, string Reference, bool Replayed, IReadOnlyList<string> TxnIds, IReadOnlyList<StockBalance> Balances,
    DateTimeOffset AppliedAt)
{
    public static MovementResponse From(string productId, MovementResult r) =>
        new(productId, r.Operation.Kind, r.Operation.Reference, r.Replayed, r.Operation.TxnIds, r.Operation.BalancesAfter, r.Operation.AppliedAt);
}

/// <summary>A page of the ledger, newest first. The token is opaque (base64url of the store's own) so it travels in a query string as is.</summary>
/// <summary>The invariant checker's verdict: findings are violations of the books; shortages (reserved above on-hand after a forced count) are listed apart.</summary>
/// <summary>
/// An audit's answer. <c>checkpointSequence</c>: the checkpoint the live balances were verified from (null: none yet, the
/// whole ledger was read); a full audit (<c>full</c>) is paged: <c>verifiedDownTo</c> is the sequence it reached and
/// <c>continuationToken</c> names the next page; the ledger is consistent when every page is.
/// </summary>
public sealed record AuditResponse(string ProductId, bool Consistent, IReadOnlyList<string> Findings, IReadOnlyList<string> Shortages, long LedgerEntries,
    long? CheckpointSequence, bool Full, long? VerifiedDownTo, string? ContinuationToken)
{
    public static AuditResponse From(Inventory.Application.Stock.InvariantReport r) => new(r.ProductId, r.Holds, r.Violations, r.Shortages, r.LedgerEntries,
        r.CheckpointSequence, r.Full, r.VerifiedDownTo, r.ContinuationToken is { } t ? Base64Url.EncodeToString(Encoding.UTF8.GetBytes(t)) : null);
}

/// <summary>Shopify orders acknowledged but not reserved, for a person to act on.</summary>
public sealed record AttentionResponse(IReadOnlyList<Inventory.Application.Orders.AttentionItem> Items, string? ContinuationToken)
{
    public static AttentionResponse From(Inventory.Application.Orders.AttentionPage page) =>
        new(page.Items, page.ContinuationToken is { } t ? Base64Url.EncodeToString(Encoding.UTF8.GetBytes(t)) : null);
}

public sealed record LedgerResponse(string ProductId, IReadOnlyList<LedgerEntry> Entries, string? ContinuationToken)
{
    public static LedgerResponse From(string productId, LedgerPage page) =>
        new(productId, page.Entries, page.ContinuationToken is { } t ? Base64Url.EncodeToString(Encoding.UTF8.GetBytes(t)) : null);

    public static string? DecodeToken(string? token)
    {
        if (string.IsNullOrEmpty(token)) return null;
        try { return Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token)); }
        catch (FormatException) { throw new ValidationException("continuationToken", "is not a token this service issued"); }
    }
}
