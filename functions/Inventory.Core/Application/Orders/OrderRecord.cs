using Inventory.Domain;

namespace Inventory.Application.Orders;

public sealed record OrderLine(string ProductId, long Quantity);

/// <summary>
/// Where an order's reserve saga stands. <see cref="Pending"/>: claimed, products being reserved (recovery goes forward).
/// <see cref="Compensating"/>: a refusal is recorded and what was reserved is being given back (recovery goes back).
/// <see cref="Reserved"/> and <see cref="Rejected"/> are terminal.
/// </summary>
public enum OrderSagaState { Pending, Compensating, Reserved, Rejected }

/// <summary>Why an order was refused, recorded on its header so every replay gets the same answer.</summary>
public sealed record OrderRefusal(string Code, string Detail, string? ProductId = null, IReadOnlyList<ShortLine>? Lines = null)
{
    /// <summary>The refusal as the use case raises it on a replay: the typed error of its code, with what was recorded.</summary>
    public Exception ToException(string orderId) => Code switch
    {
        "insufficient-stock" => new InsufficientStockException(orderId, Lines ?? []),
        "product-not-found" when ProductId is not null => new ProductNotFoundException(ProductId),
        "order-conflict" => new OrderConflictException(orderId),
        Storage.TransactionTooLargeException.Code => new Storage.TransactionTooLargeException(Detail),
        "validation-failed" => new ValidationException("lines", Detail),
        _ => new InvalidStateException(Detail),
    };
}

/// <summary>
/// The order header, in the order's own partition: which products the order holds, the fingerprint of its request (so
/// that a replay is recognised and a reuse of the id with other lines is refused), and the state of its reserve saga,
/// which coordinates the per-product decisions taken in each product's partition.
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
    /// <summary>Null on headers written before sagas: treated as <see cref="OrderSagaState.Pending"/> by a replay, never swept.</summary>
    public OrderSagaState? State { get; init; }
    public OrderRefusal? Refusal { get; init; }
    public string PerformedBy { get; init; } = "api";
    public DateTimeOffset? UpdatedAt { get; init; }
    /// <summary>
    /// When the request that claimed a one-product order stopped without a decision (throttled, unavailable, contention):
    /// another request for the order need not wait for it (<see cref="OrderClaim"/>).
    /// </summary>
    public DateTimeOffset? ClaimEndedAt { get; init; }
    /// <summary>
    /// Where the product partition keeps this one-product order's open reservation: among those of other orders claimed
    /// on the same instance at about the same time (one document for a coalesced batch, <c>rsb|{Pack}|…</c>), so that a
    /// reader by order id knows which to read. Null (orders of several products, headers written before packs): its own
    /// document <c>res|{orderId}</c>.
    /// </summary>
    public string? Pack { get; init; }
    /// <summary>
    /// The escrow bucket this one-product order reserves in (its product was in escrow on the instance that claimed it,
    /// <see cref="EscrowBucket"/>): every reader by order id goes to that bucket's partition. Null: the product's.
    /// </summary>
    public int? Bucket { get; init; }
    /// <summary>
    /// Drawn at random by each claim's call (<see cref="OrderHeaders.ClaimAsync"/>), so that a claim whose write landed
    /// but whose answer was lost (the store's client retries it and hears "already exists") knows the header it then finds
    /// for its own, not another request's. Null on headers written before.
    /// </summary>
    public string? ClaimNonce { get; init; }
    /// <summary>
    /// Set on a fence, not a header: recovery found the order's <c>reserve</c> entry with no header and, before removing
    /// the entry, wrote this in the header's place (at this time), so a driver stalled before its claim cannot claim
    /// unseen (<see cref="OrderHeaders.FenceClaimAsync"/>). Readers never see one (<see cref="OrderHeaders.FindAsync"/>
    /// answers none); a claim that finds it enlists again, then replaces it with its header.
    /// </summary>
    public DateTimeOffset? FencedAt { get; init; }

    /// <summary>The partition that holds this order's reservation of <paramref name="productId"/>: its bucket's, or the product's.</summary>
    public string StockOf(string productId) => Bucket is { } b ? new EscrowBucket(productId, b).Partition : productId;

    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsFence => FencedAt is not null;

    public bool IsTerminal => State is OrderSagaState.Reserved or OrderSagaState.Rejected;
    public bool IsRefused => State is OrderSagaState.Compensating or OrderSagaState.Rejected;

    /// <summary>
    /// An order of one product runs no saga (issue 14): its only stock change is one transaction in one product partition,
    /// so there is nothing to compensate and nothing to recover. Its header is written once, with no saga state, as every
    /// header was before sagas (each reader already treats that as "the products decide"): the product's <c>res|</c> is the
    /// order's decision (none yet: PENDING, holding nothing). Only a refusal the product cannot record moves it, straight to
    /// <see cref="OrderSagaState.Rejected"/>. A header the saga claimed (a state set) stays the saga's, whatever its lines.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool DecidedByProduct => State is null && Lines.Count == 1;
}

/// <summary>Index entry that lets the expiry sweep find holds by day without scanning reservations.</summary>
public sealed record HoldIndexEntry(string OrderId, DateTimeOffset ExpiresAt)
{
    public string Partition => ExpiresAt.UtcDateTime.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture);
    public string Id => $"{ExpiresAt.UtcTicks:D19}|{OrderId}";
}

/// <summary>
/// A saga of an order not finished yet, in the index <see cref="RecoverOrders"/> sweeps. <see cref="Kind"/> says which saga;
/// <see cref="Since"/> when it was enlisted (for an entry shared by several requests, the first while it stayed open:
/// <see cref="OrderHeaders.EnlistSharedAsync"/>), which is what recovery counts from.
/// </summary>
public sealed record OpenSaga(string Kind, string OrderId, DateTimeOffset Since)
{
    /// <summary>The last enlistment of a shared entry (null: none since <see cref="Since"/>); its request may not have recorded its intent yet.</summary>
    public DateTimeOffset? EnlistedAt { get; init; }

    /// <summary>The run of the request that enlisted last (null: before runs were kept): only it, or a sweep once it is stale, removes a fresh entry.</summary>
    public string? EnlistedBy { get; init; }

    [System.Text.Json.Serialization.JsonIgnore]
    public DateTimeOffset LastEnlisted => EnlistedAt ?? Since;
}
