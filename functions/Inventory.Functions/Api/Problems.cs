using Inventory.Application;
using Inventory.Domain;
using Inventory.Functions.Api.Contracts;
using Inventory.Storage;
using Microsoft.AspNetCore.Http;

namespace Inventory.Functions.Api;

/// <summary>
/// RFC 7807 bodies for every refusal. The type is stable per <see cref="DomainException.Code"/> (urn:inventory:problem:{code});
/// the status and title come from <see cref="Catalog"/>; the exception's own fields (which product, which lines) are
/// added as members so a client can act without parsing the detail.
/// </summary>
public static class Problems
{
    public const string ContentType = "application/problem+json; charset=utf-8";
    public const string TypePrefix = "urn:inventory:problem:";

    public sealed record Kind(int Status, string Title);

    public static IReadOnlyDictionary<string, Kind> Catalog { get; } = new Dictionary<string, Kind>(StringComparer.Ordinal)
    {
        ["validation-failed"] = new(400, "The request is invalid"),
        ["malformed-json"] = new(400, "The body is not valid JSON"),
        ["unsupported-topic"] = new(400, "Webhook topic not handled"),
        ["invalid-signature"] = new(401, "Webhook signature missing or invalid"),
        ["product-not-found"] = new(404, "Product not found"),
        ["warehouse-not-found"] = new(404, "Warehouse not found"),
        ["location-not-found"] = new(404, "Location not found"),
        ["reservation-not-found"] = new(404, "Reservation not found"),
        ["purchase-order-not-found"] = new(404, "Purchase order not found"),
        ["replenishment-run-not-found"] = new(404, "No replenishment run yet"),
        ["count-not-found"] = new(404, "Stock count not recorded"),
        ["attention-not-found"] = new(404, "Order not listed for attention"),
        ["insufficient-stock"] = new(409, "Not enough stock"),
        ["order-conflict"] = new(409, "Order id reused with different lines"),
        ["reference-conflict"] = new(409, "Reference reused for a different request"),
        ["invalid-state"] = new(409, "Not possible in the current state"),
        ["stock-would-go-negative"] = new(409, "Stock would go negative"),
        ["duplicate-sku"] = new(409, "SKU already taken"),
        ["invalid-transition"] = new(409, "Purchase order cannot do this in its current status"),
        ["over-receipt"] = new(409, "Receipt beyond what was ordered"),
        ["receipt-in-progress"] = new(409, "A receipt is being applied to this purchase order"),
        ["write-conflict"] = new(409, "Concurrent update; nothing was written"),
        ["count-conflict"] = new(409, "Count id reused with different rows"),
        ["payload-too-large"] = new(413, "Body too large"),
        ["unknown-sku"] = new(422, "Unknown SKU"),
        ["transaction-too-large"] = new(422, "Change too large for one transaction"),
        ["concurrency-exhausted"] = new(503, "Too much contention; retry later"),
        ["store-unavailable"] = new(503, "Store unavailable"),
        ["store-throttled"] = new(503, "Store throttled; retry later"),
        ["shared-commit-failed"] = new(503, "A shared commit failed; nothing was written for this request"),
        ["queue-not-found"] = new(404, "No such queue"),
        ["message-not-found"] = new(404, "No such quarantined message"),
        ["route-not-found"] = new(404, "No such route"),
        ["method-not-allowed"] = new(405, "Method not allowed on this route"),
        ["internal-error"] = new(500, "Internal error"),
    };

    /// <summary>The one mapping of what a use case may throw to its problem; null for the unexpected (a logged 500).</summary>
    public static JsonResponse? For(Exception e, HttpRequest? request = null) => e switch
    {
        DomainException d => From(d, request),
        StoreFailureException s => From(s, request),
        TransactionTooLargeException t => From(t, request),
        SharedCommitFailedException s => From(s, request),
        CommitConflictException c => From(c, request),
        // A route that let the store's refusal of a token through: the client's input, not a fault of the service.
        InvalidContinuationTokenException => From(new ValidationException("continuationToken", "is not a token this service issued"), request),
        _ => null,
    };

    public static JsonResponse From(DomainException e, HttpRequest? request = null)
    {
        var problem = Body(e.Code, e.Message, request);
        var status = (int)problem["status"]!;
        foreach (var (name, value) in Members(e)) problem.TryAdd(name, value); // never let a member shadow type, status, ...
        var response = new JsonResponse(status, problem, ContentType);
        // An ask to retry (an order still being reserved) says so as a lost race does, apart from a final invalid-state.
        return e is ConcurrencyExhaustedException or InvalidStateException { RetryLater: true } ? response.WithHeader("Retry-After", "1") : response;
    }

    public static JsonResponse From(CommitConflictException e, HttpRequest? request = null) =>
        new(409, Body("write-conflict", "Another request changed the same data at the same time; nothing was written. Retry.", request), ContentType);

    public static JsonResponse From(SharedCommitFailedException e, HttpRequest? request = null) =>
        new JsonResponse(503, Body("shared-commit-failed", e.Message, request), ContentType).WithHeader("Retry-After", "1");

    /// <summary>
    /// The store could not serve the request (down, unreachable, timed out) or throttled it after its own retries: 503
    /// with Retry-After (the wait the store asked for, at least a second), whichever store it is. The body names the
    /// kind of store and nothing else of it: no host, partition, id or exception text (those go to the log).
    /// </summary>
    public static JsonResponse From(StoreFailureException e, HttpRequest? request = null)
    {
        var (code, detail, wait) = e is StoreThrottledException t
            ? ("store-throttled", $"{e.Store} is throttling requests; retry after the time given.", t.RetryAfter ?? TimeSpan.FromSeconds(1))
            : ("store-unavailable", $"{e.Store} is unavailable; the request may not have been applied. Retrying it is safe.", TimeSpan.FromSeconds(1));
        var body = Body(code, detail, request);
        body["store"] = e.Store;
        var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
        return new JsonResponse(503, body, ContentType).WithHeader("Retry-After", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>503 store-unavailable naming the kind of store (as every route's outage does), with Retry-After.</summary>
    public static JsonResponse StoreUnavailable(string store, string detail, int retryAfterSeconds, HttpRequest? request = null)
    {
        var body = Body("store-unavailable", detail, request);
        body["store"] = store;
        return new JsonResponse(503, body, ContentType).WithHeader("Retry-After", retryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>A commit beyond the store's transaction limits: the request is too large to apply as one change (422).</summary>
    public static JsonResponse From(TransactionTooLargeException e, HttpRequest? request = null) =>
        new(Catalog[TransactionTooLargeException.Code].Status, Body(TransactionTooLargeException.Code, e.Message, request), ContentType);

    public static JsonResponse Of(string code, string detail, HttpRequest? request = null) =>
        new(Catalog[code].Status, Body(code, detail, request), ContentType);

    private static Dictionary<string, object?> Body(string code, string detail, HttpRequest? request)
    {
        var kind = Catalog.GetValueOrDefault(code) ?? new Kind(422, "Request refused");
        return new Dictionary<string, object?>
        {
            ["type"] = TypePrefix + code,
            ["title"] = kind.Title,
            ["status"] = kind.Status,
            ["detail"] = detail,
            ["instance"] = request?.Path.Value,
            ["code"] = code,
        };
    }

    /// <summary>The offending fields of each refusal, named as in requests.</summary>
    private static IEnumerable<(string, object?)> Members(DomainException e) => e switch
    {
        ValidationException v => [("errors", v.Errors.Select(f => new FieldErrorResponse(f.Field, f.Message)).ToArray())],
        ProductNotFoundException p => [("productId", p.ProductId)],
        WarehouseNotFoundException w => [("warehouseId", w.WarehouseId)],
        LocationNotFoundException l => [("locationId", l.LocationId)],
        ReservationNotFoundException r => [("orderId", r.OrderId)],
        InsufficientStockException { TransferId: { } transferId } s =>
            [("transferId", transferId), ("fromLocationId", s.FromLocationId), ("lines", ShortLines(s))],
        InsufficientStockException s => [("orderId", s.OrderId), ("lines", ShortLines(s))],
        OrderConflictException o => [("orderId", o.OrderId)],
        ReferenceConflictException r => [("reference", r.Reference)],
        StockWouldGoNegativeException n => [("productId", n.ProductId), ("locationId", n.LocationId), ("onHandAfter", n.OnHandAfter), ("reserved", n.Reserved)],
        DuplicateSkuException d => [("sku", d.Sku), ("ownerProductId", d.OwnerProductId)],
        ConcurrencyExhaustedException c => [("partition", c.Partition), ("attempts", c.Attempts)],
        PayloadTooLargeException p => [("limitBytes", p.LimitBytes)],
        InvalidTransitionException t => [("poId", t.PoId), ("poStatus", t.Status), ("action", t.Action)],
        OverReceiptException o => [("poId", o.PoId), ("productId", o.ProductId)],
        ReceiptInProgressException r => [("poId", r.PoId), ("receiptId", r.ReceiptId)],
        PurchaseOrderNotFoundException p => [("poId", p.PoId)],
        Application.Counts.CountNotFoundException c => [("countId", c.CountId)],
        Application.Counts.CountConflictException c => [("countId", c.CountId)],
        UnknownSkuException u => [("orderId", u.OrderId), ("skus", u.Skus)],
        UnsupportedTopicException t => [("topic", t.Topic)],
        Application.Orders.AttentionNotFoundException a => [("orderId", a.OrderId)],
        Application.Purchasing.QuarantinedMessageNotFoundException q => [("queue", q.Queue), ("quarantineId", q.QuarantineId)],
        _ => [],
    };

    private static ShortLineResponse[] ShortLines(InsufficientStockException s) =>
        s.Lines.Select(l => new ShortLineResponse(l.ProductId, l.Requested, l.Available)).ToArray();
}
