using Inventory.Domain;
using Inventory.Storage;

namespace Inventory.Application.Stock;

public sealed record LocationStockView(string WarehouseId, string LocationId, string LocationType, long QuantityOnHand, long QuantityReserved,
    long QuantityAvailable, DateTimeOffset? LastCountedAt, DateTimeOffset? LastMovedAt);

public sealed record StockView(string ProductId, string Sku, long QuantityOnHand, long QuantityReserved, long QuantityAvailable,
    long QuantityIncoming, IReadOnlyList<LocationStockView> Locations);

public sealed record LedgerPage(IReadOnlyList<LedgerEntry> Entries, string? ContinuationToken);

/// <summary>Stock of a product (totals and per location) and its ledger, newest first.</summary>
public sealed class StockQueries(ProductPartitions partitions)
{
    public const int MaxPageSize = 1000;

    public async Task<StockView> GetStockAsync(string productId, CancellationToken ct = default)
    {
        new Guard().Id("productId", productId).ThrowIfAny();
        var stock = await partitions.SnapshotAsync(productId, ct) ?? throw new ProductNotFoundException(productId);
        var locations = stock.Balances.OrderBy(b => b.WarehouseId, StringComparer.Ordinal).ThenBy(b => b.LocationId, StringComparer.Ordinal)
            .Select(b => new LocationStockView(b.WarehouseId, b.LocationId, b.LocationType.ToString(), b.QuantityOnHand, b.QuantityReserved,
                b.QuantityAvailable, b.LastCountedAt, b.LastMovedAt)).ToArray();
        long onHand = stock.Balances.Sum(b => b.QuantityOnHand), reserved = stock.Balances.Sum(b => b.QuantityReserved);
        return new StockView(productId, stock.Product.Sku, onHand, reserved, onHand - reserved, stock.Supply.Incoming, locations);
    }

    public async Task<LedgerPage> GetLedgerAsync(string productId, int pageSize = 100, string? continuationToken = null, CancellationToken ct = default)
    {
        new Guard().Id("productId", productId).That(pageSize is > 0 and <= MaxPageSize, "pageSize", $"must be between 1 and {MaxPageSize}").ThrowIfAny();
        if (!await partitions.ExistsAsync(productId, ct)) throw new ProductNotFoundException(productId);
        try
        {
            var (entries, token) = await partitions.LedgerPageAsync(productId, pageSize, continuationToken, ct);
            return new LedgerPage(entries, token);
        }
        catch (InvalidContinuationTokenException) { throw new ValidationException("continuationToken", "is not a token this service issued"); }
    }
}
