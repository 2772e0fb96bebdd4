namespace Inventory.Domain;

/// <summary>Base of every refusal the domain makes. <see cref="Code"/> is stable: HTTP maps it to a problem type.</summary>
public abstract class DomainException(string code, string message) : Exception(message)
{
    public string Code { get; } = code;
}

public sealed record FieldError(string Field, string Message);

/// <summary>Bad input, refused before anything is written.</summary>
public sealed class ValidationException(IReadOnlyList<FieldError> errors)
    : DomainException("validation-failed", "The request is invalid: " + string.Join("; ", errors.Select(e => $"{e.Field}: {e.Message}")))
{
    public IReadOnlyList<FieldError> Errors { get; } = errors;
    public ValidationException(string field, string message) : this([new FieldError(field, message)]) { }
}

public sealed class ProductNotFoundException(string productId)
    : DomainException("product-not-found", $"Product '{productId}' does not exist.")
{
    public string ProductId { get; } = productId;
}

public sealed class WarehouseNotFoundException(string warehouseId)
    : DomainException("warehouse-not-found", $"Warehouse '{warehouseId}' does not exist.")
{
    public string WarehouseId { get; } = warehouseId;
}

public sealed class LocationNotFoundException(string locationId)
    : DomainException("location-not-found", $"Location '{locationId}' does not exist.")
{
    public string LocationId { get; } = locationId;
}

public sealed class ReservationNotFoundException(string orderId)
    : DomainException("reservation-not-found", $"No reservation exists for order '{orderId}'.")
{
    public string OrderId { get; } = orderId;
}

public sealed record ShortLine(string ProductId, long Requested, long Available);

/// <summary>
/// Not enough stock for an order (<see cref="OrderId"/>), or available at a transfer's source (<see cref="TransferId"/>,
/// <see cref="FromLocationId"/>; no order is involved, so none is named). One type for one problem code.
/// </summary>
public sealed class InsufficientStockException : DomainException
{
    public InsufficientStockException(string orderId, IReadOnlyList<ShortLine> lines)
        : base("insufficient-stock", $"Not enough stock for order '{orderId}': " + Describe(lines))
    {
        OrderId = orderId;
        Lines = lines;
    }

    private InsufficientStockException(string transferId, string fromLocationId, ShortLine line)
        : base("insufficient-stock", $"Not enough available stock at '{fromLocationId}' for transfer '{transferId}': " + Describe([line]))
    {
        TransferId = transferId;
        FromLocationId = fromLocationId;
        Lines = [line];
    }

    public static InsufficientStockException ForTransfer(string transferId, string fromLocationId, ShortLine line) =>
        new(transferId, fromLocationId, line);

    /// <summary>Null for a transfer.</summary>
    public string? OrderId { get; }
    /// <summary>Null for an order.</summary>
    public string? TransferId { get; }
    public string? FromLocationId { get; }
    public IReadOnlyList<ShortLine> Lines { get; }

    private static string Describe(IReadOnlyList<ShortLine> lines) =>
        string.Join(", ", lines.Select(l => $"{l.ProductId} requested {l.Requested}, available {l.Available}"));
}

/// <summary>An order id reused with different lines: a client bug, never silently merged.</summary>
public sealed class OrderConflictException(string orderId)
    : DomainException("order-conflict", $"Order '{orderId}' was already submitted with different lines, warehouse or policy.")
{
    public string OrderId { get; } = orderId;
}

/// <summary>The same operation reference reused for a different request (adjustment, transfer, receipt, fulfilment).</summary>
public sealed class ReferenceConflictException(string reference)
    : DomainException("reference-conflict", $"Reference '{reference}' was already used for a different request.")
{
    public string Reference { get; } = reference;
}

/// <remarks>
/// <paramref name="retryLater"/>: the state is still being decided (an order still being reserved), so the same request
/// sent again later is answered otherwise: an ask to retry, not the request's answer.
/// </remarks>
public sealed class InvalidStateException(string message, bool retryLater = false) : DomainException("invalid-state", message)
{
    public bool RetryLater { get; } = retryLater;

    /// <summary>A change of an order whose reservation is not decided yet.</summary>
    public static InvalidStateException StillReserving(string orderId) =>
        new($"Order '{orderId}' is still being reserved: retry once its reservation is decided.", retryLater: true);
}

/// <summary>A change that would take on-hand below zero or below what is reserved.</summary>
public sealed class StockWouldGoNegativeException(string productId, string locationId, long onHandAfter, long reserved)
    : DomainException(ProblemCode,
        $"Product '{productId}' at '{locationId}': on-hand would become {onHandAfter} with {reserved} reserved. Pass force=true to override.")
{
    public const string ProblemCode = "stock-would-go-negative";
    public string ProductId { get; } = productId;
    public string LocationId { get; } = locationId;
    public long OnHandAfter { get; } = onHandAfter;
    public long Reserved { get; } = reserved;
}

public sealed class DuplicateSkuException(string sku, string ownerProductId)
    : DomainException("duplicate-sku", $"SKU '{sku}' already belongs to product '{ownerProductId}'.")
{
    public string Sku { get; } = sku;
    public string OwnerProductId { get; } = ownerProductId;
}

/// <summary>Optimistic concurrency lost too many times in a row; the caller may retry later. Nothing was written.</summary>
public sealed class ConcurrencyExhaustedException(string partition, int attempts)
    : DomainException("concurrency-exhausted", $"Gave up on '{partition}' after {attempts} conflicting attempts; nothing was written. Retry later.")
{
    public string Partition { get; } = partition;
    public int Attempts { get; } = attempts;
}

/// <summary>
/// A decision met a state that breaks the stock's invariants (a balance going negative where a rule should have refused
/// first): either a read that mixed two commits, or a bug. Not a refusal: the batch committer decides again once from a
/// fresh read, and only a second occurrence reaches the caller.
/// </summary>
public sealed class StockInvariantException(string message) : InvalidOperationException(message);
