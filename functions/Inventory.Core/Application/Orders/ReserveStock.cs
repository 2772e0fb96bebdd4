using Inventory.Domain;
using Inventory.Storage;

namespace Inventory.Application.Orders;

public sealed record ReserveCommand(
    string OrderId, IReadOnlyList<OrderLine> Lines, string? WarehouseId = null,
    ReservationPolicy Policy = ReservationPolicy.AllOrNothing, int? HoldMinutes = null, string PerformedBy = "api");

public sealed record ReserveResult(ReservationView Reservation, bool Created);

/// <summary>
/// Reserves an order's lines: one transaction per product, lines of one product combined. Under all-or-nothing a
/// shortfall on any product releases what earlier products reserved and the order is recorded as rejected, so a replay
/// gets the same answer. A replay of an accepted order returns the recorded reservation with no second effect.
/// </summary>
public sealed class ReserveStock(StockCommitter committer, OrderHeaders headers, IDocumentStore store, AllocationOptions allocation, TimeProvider clock)
{
    public const int MaxHoldMinutes = 7 * 24 * 60;
    private readonly RecentlySeen recentlyActive = new(TimeSpan.FromSeconds(1));
    private readonly RecentlySeen knownWarehouses = new(TimeSpan.FromMinutes(5));

    public async Task<ReserveResult> ExecuteAsync(ReserveCommand command, CancellationToken ct = default)
    {
        var lines = Validate(command);
        if (command.WarehouseId is { } warehouseId && !knownWarehouses.Contains(warehouseId, clock.GetUtcNow()))
        {
            // Warehouses are never deleted: one that existed a moment ago still does.
            if ((await store.ReadAsync(Collection.Warehouses, warehouseId, [DocumentIds.Warehouse], [], ct)).Count == 0)
                throw new WarehouseNotFoundException(warehouseId);
            knownWarehouses.Add(warehouseId, clock.GetUtcNow());
        }

        // Every product is checked before the header is written: an unknown or inactive product writes nothing. A product
        // seen active in the last second is not read again (products are never deleted), which spares hot products a read
        // per request; the decision itself still refuses an inactive product.
        var loaded = new Dictionary<string, LoadedStock>(StringComparer.Ordinal);
        foreach (var line in lines.Where(l => !recentlyActive.Contains(l.ProductId, clock.GetUtcNow())))
            loaded[line.ProductId] = await LoadActiveAsync(line.ProductId, command.OrderId, ct);

        var now = clock.GetUtcNow();
        var (order, created) = await headers.ClaimAsync(new OrderRecord
        {
            OrderId = command.OrderId,
            Fingerprint = Fingerprint(command, lines),
            WarehouseId = command.WarehouseId,
            Policy = command.Policy,
            HoldMinutes = command.HoldMinutes,
            HoldExpiresAt = command.HoldMinutes is { } minutes ? now.AddMinutes(minutes) : null,
            Lines = lines,
            CreatedAt = now,
        }, ct);
        if (order.HoldExpiresAt is { } expiresAt)
        {
            var hold = new HoldIndexEntry(order.OrderId, expiresAt);
            await store.CommitAsync(Collection.Holds, hold.Partition, [new DocumentWrite.Upsert(hold.Id, DocumentJson.Write(hold))], ct);
        }

        if (!created) // a replay: what each product recorded decides, so every product is read
            foreach (var line in lines.Where(l => !loaded.ContainsKey(l.ProductId)))
                loaded[line.ProductId] = await committer.LoadAsync(line.ProductId, StockRead.ForOrder(order.OrderId), ct);

        var decided = new Dictionary<string, ProductReservation?>(StringComparer.Ordinal);
        var rejected = loaded.Values.Any(l => ReservationView.IsRejection(l.Stock.Reservation(order.OrderId)));
        foreach (var line in lines)
        {
            if (rejected) { decided[line.ProductId] = loaded.GetValueOrDefault(line.ProductId)?.Stock.Reservation(order.OrderId); continue; }
            var request = new ReserveRequest(order.OrderId, line.Quantity, order.WarehouseId, order.Policy, order.HoldExpiresAt, command.PerformedBy);
            var reservation = await committer.RunAsync(line.ProductId, StockRead.ForOrder(order.OrderId),
                s => Matching(s.Reserve(request, allocation, now), request), ct, loaded.GetValueOrDefault(line.ProductId));
            decided[line.ProductId] = reservation;
            rejected = ReservationView.IsRejection(reservation);
        }

        if (rejected)
        {
            await RollBackAsync(order, command.PerformedBy, ct);
            var shortLines = new List<ShortLine>();
            foreach (var line in lines)
            {
                var recorded = decided.GetValueOrDefault(line.ProductId);
                var available = recorded?.AvailableAtDecision
                    ?? (loaded.GetValueOrDefault(line.ProductId) ?? await committer.LoadAsync(line.ProductId, StockRead.BalancesOnly, ct)).Stock.AvailableIn(order.WarehouseId);
                shortLines.Add(new ShortLine(line.ProductId, line.Quantity, available));
            }
            InventoryMetrics.Reservation(created ? "rejected" : "replayed");
            throw new InsufficientStockException(order.OrderId, shortLines);
        }
        var view = ReservationView.From(order, decided);
        InventoryMetrics.Reservation(created ? view.Status.ToString() : "replayed");
        return new ReserveResult(view, created);
    }

    /// <summary>Releases every product of a rejected order that still holds stock. Idempotent: the reference is fixed.</summary>
    private async Task RollBackAsync(OrderRecord order, string performedBy, CancellationToken ct)
    {
        foreach (var line in order.Lines)
        {
            await committer.RunAsync(line.ProductId, StockRead.ForChange(order.OrderId, ChangeIntent.Rollback), s =>
                s.Reservation(order.OrderId) is { Status: ReservationStatus.Active }
                    ? s.Release(order.OrderId, ChangeIntent.Rollback, "all", null, ReleaseReason.OrderRejected, performedBy, clock.GetUtcNow())
                    : null, ct);
        }
    }

    private async Task<LoadedStock> LoadActiveAsync(string productId, string orderId, CancellationToken ct)
    {
        var loaded = await committer.LoadAsync(productId, StockRead.ForOrder(orderId), ct);
        if (!loaded.Stock.Product.IsActive) throw new InvalidStateException($"Product '{productId}' is inactive and cannot be reserved.");
        recentlyActive.Add(productId, clock.GetUtcNow());
        return loaded;
    }

    private static ProductReservation Matching(ProductReservation recorded, ReserveRequest request) =>
        recorded.Requested == request.Quantity && recorded.Policy == request.Policy && recorded.WarehouseId == request.WarehouseId
            ? recorded
            : throw new OrderConflictException(request.OrderId);

    private static string Fingerprint(ReserveCommand c, IEnumerable<OrderLine> lines) =>
        $"{c.WarehouseId}|{c.Policy}|{c.HoldMinutes}|" + string.Join(",", lines.Select(l => $"{l.ProductId}:{l.Quantity}"));

    private static OrderLine[] Validate(ReserveCommand c)
    {
        var guard = new Guard().Id("orderId", c.OrderId).OptionalId("warehouseId", c.WarehouseId)
            .Text("performedBy", c.PerformedBy, Limits.MaxIdLength)
            .That(c.Lines is { Count: > 0 and <= Limits.MaxLinesPerRequest }, "lines", $"must hold 1 to {Limits.MaxLinesPerRequest} lines")
            .That(c.HoldMinutes is null or (> 0 and <= MaxHoldMinutes), "holdMinutes", $"must be between 1 and {MaxHoldMinutes}")
            .That(Enum.IsDefined(c.Policy), "policy", "must be AllOrNothing or Partial");
        for (var i = 0; i < (c.Lines?.Count ?? 0); i++)
            guard.Id($"lines[{i}].productId", c.Lines![i]?.ProductId).Quantity($"lines[{i}].quantity", c.Lines[i]?.Quantity ?? 0);
        guard.ThrowIfAny();

        var combined = c.Lines!.GroupBy(l => l.ProductId, StringComparer.Ordinal)
            .Select(g => new OrderLine(g.Key, g.Sum(l => l.Quantity)))
            .OrderBy(l => l.ProductId, StringComparer.Ordinal).ToArray();
        new Guard().That(combined.All(l => l.Quantity <= Limits.MaxQuantity), "lines", $"the lines of one product add up to more than {Limits.MaxQuantity}").ThrowIfAny();
        return combined;
    }
}
