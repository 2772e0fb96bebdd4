using Inventory.Application.Replenishment;
using Inventory.Domain;

namespace Inventory.Functions.Api.Contracts;

/// <summary>A nightly scan: its counts and whether it completed (GET /api/replenishment/runs/latest).</summary>
public sealed record ReplenishmentRunResponse
{
    public required string RunId { get; init; }
    public RunStatus Status { get; init; }
    public DateTimeOffset StartedAt { get; init; }
    public DateTimeOffset? CompletedAt { get; init; }
    public string? Checkpoint { get; init; }
    public int Pages { get; init; }
    public long Scanned { get; init; }
    public long BelowThreshold { get; init; }
    public long OrdersCreated { get; init; }
    public long SkippedOpenOrder { get; init; }
    public long Errors { get; init; }
    public long RowsWithoutProduct { get; init; }
    public bool PastDue { get; init; }
    public IReadOnlyList<string> ErrorSamples { get; init; } = [];
    /// <summary>For an <c>ABANDONED</c> run: the run that closed it, and when.</summary>
    public string? AbandonedBy { get; init; }
    public DateTimeOffset? AbandonedAt { get; init; }

    public static ReplenishmentRunResponse From(ReplenishmentRun r) => new()
    {
        RunId = r.RunId, Status = r.Status, StartedAt = r.StartedAt, CompletedAt = r.CompletedAt, Checkpoint = r.Checkpoint, Pages = r.Pages,
        Scanned = r.Scanned, BelowThreshold = r.BelowThreshold, OrdersCreated = r.OrdersCreated, SkippedOpenOrder = r.SkippedOpenOrder,
        Errors = r.Errors, RowsWithoutProduct = r.RowsWithoutProduct, PastDue = r.PastDue, ErrorSamples = r.ErrorSamples,
        AbandonedBy = r.AbandonedBy, AbandonedAt = r.AbandonedAt,
    };
}

/// <summary>A product's replenishment: position against the nightly rule, open orders, configured vs measured lead time.</summary>
public sealed record ProductReplenishmentResponse(
    string ProductId, bool AutoReplenish, string? PreferredSupplierId, long ReorderPoint, long ReorderQuantity,
    int LeadTimeDays, double? MeasuredLeadTimeDays, bool LeadTimeDrift, IReadOnlyList<LeadTimeResponse> LeadTimes,
    PositionResponse Position, IReadOnlyList<IncomingOrderResponse> OpenOrders)
{
    public static ProductReplenishmentResponse From(ProductReplenishmentView v) => new(v.ProductId, v.AutoReplenish, v.PreferredSupplierId,
        v.ReorderPoint, v.ReorderQuantity, v.LeadTimeDays, v.MeasuredLeadTimeDays, v.LeadTimeDrift,
        v.LeadTimes.Select(l => new LeadTimeResponse(l.PoId, l.SupplierId, l.Days, l.ReceivedAt)).ToArray(),
        new PositionResponse(v.Position.Available, v.Position.Incoming, v.Position.AverageDailyDemand, v.Position.SafetyStock, v.Position.Threshold,
            v.Position.Reorder, v.Position.Quantity, v.Position.Reason),
        v.OpenOrders.Select(o => new IncomingOrderResponse(o.PoId, o.SupplierId, o.Origin, o.Status, o.Outstanding)).ToArray());
}

public sealed record LeadTimeResponse(string PoId, string SupplierId, double Days, DateTimeOffset ReceivedAt);

public sealed record PositionResponse(
    long Available, long Incoming, double AverageDailyDemand, long SafetyStock, long Threshold, bool Reorder, long Quantity, string Reason);

public sealed record IncomingOrderResponse(string PoId, string SupplierId, PurchaseOrderOrigin Origin, PurchaseOrderStatus Status, long Outstanding);

/// <summary>Where raised purchase orders went: the store's outbox (listed) or Service Bus (not listed here: see the queue).</summary>
public sealed record OutboxResponse(string Publisher, IReadOnlyList<PurchaseOrderResponse> Orders);
