using Inventory.Domain;

namespace Inventory.Application.Orders;

public sealed record OrderLine(string ProductId, long Quantity);

/// <summary>
/// The order header, in the order's own partition: which products the order holds and the fingerprint of its request,
/// so that a replay is recognised and a reuse of the id with other lines is refused. The stock itself is decided in
/// each product's partition.
/// </summary>
public sealed record OrderRecord
{
    public required string OrderId { get; init; }
    public required string Fingerprint { get; init; }
    public string? WarehouseId { get; init; }
    public ReservationPolicy Policy { get; init; }
    public int? HoldMinutes { get; init; }
    public DateTimeOffset? HoldExpiresAt { get; init; }
    public required IReadOnlyList<OrderLine> Lines { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
}

/// <summary>Index entry that lets the expiry sweep find holds by day without scanning reservations.</summary>
public sealed record HoldIndexEntry(string OrderId, DateTimeOffset ExpiresAt)
{
    public string Partition => ExpiresAt.UtcDateTime.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture);
    public string Id => $"{ExpiresAt.UtcTicks:D19}|{OrderId}";
}
