using Inventory.Application.Escrow;
using Inventory.Domain;
using Inventory.Storage;

namespace Inventory.Application.Orders;

public sealed record ReserveCommand(
    string OrderId, IReadOnlyList<OrderLine> Lines, string? WarehouseId = null,
    ReservationPolicy Policy = ReservationPolicy.AllOrNothing, int? HoldMinutes = null, string PerformedBy = "api");

public sealed record ReserveResult(ReservationView Reservation, bool Created);

/// <summary>
/// Reserves an order's lines as a saga coordinated by the order header: the saga is enlisted in the open-saga index,
/// the header is claimed (<see cref="OrderSagaState.Pending"/>), each product is reserved in its own transaction, and the
/// header records the end: <see cref="OrderSagaState.Reserved"/>, or, on any refusal (a shortage under all-or-nothing,
/// an inactive or unknown product, a change too large for one transaction...), <see cref="OrderSagaState.Compensating"/>
/// with the refusal, every product given back, then <see cref="OrderSagaState.Rejected"/>. Once the header is claimed the
/// saga runs to its end whatever the caller does; a crash leaves it to a replay or to <see cref="RecoverOrders"/>, which
/// go forward from Pending and back from Compensating. A replay of a finished order gets its recorded answer.
/// An order of one product runs no saga (<see cref="OrderRecord.DecidedByProduct"/>): the header is claimed with no state,
/// and that product's one transaction decides the order.
/// </summary>
public sealed class ReserveStock(StockCommitter committer, OrderHeaders headers, IDocumentStore store, AllocationOptions allocation, TimeProvider clock,
    OrderOptions? orders = null, EscrowBuckets? escrow = null) : IOrderSaga
{
    public const int MaxHoldMinutes = 7 * 24 * 60;
    public const string SagaKind = "reserve";
    private readonly OrderOptions options = orders ?? new OrderOptions();
    private readonly RecentlySeen recentlyActive = new(TimeSpan.FromSeconds(1));
    private readonly RecentlySeen knownWarehouses = new(TimeSpan.FromMinutes(5));
    private readonly PackNames packs = new();

    public string Kind => SagaKind;

    public async Task<ReserveResult> ExecuteAsync(ReserveCommand command, CancellationToken ct = default)
    {
        var lines = Validate(command);
        var fingerprint = Fingerprint(command, lines);
        Dictionary<string, LoadedStock> loaded;
        try
        {
            loaded = await CheckAsync(command, lines, ct);
        }
        catch (DomainException) when (!ct.IsCancellationRequested)
        {
            // Refused before anything is written, unless the order was claimed before: then its recorded course decides.
            if ((await headers.FindAsync(command.OrderId, ct))?.Fingerprint != fingerprint) throw;
            loaded = new(StringComparer.Ordinal);
        }

        var now = clock.GetUtcNow();
        var sagaRuns = lines.Length > 1; // one product: nothing to compensate or recover, so no saga (and no index entry)
        if (sagaRuns) await headers.EnlistAsync(SagaKind, command.OrderId, now, ct);
        var (order, created) = await headers.ClaimAsync(new OrderRecord
        {
            OrderId = command.OrderId,
            Fingerprint = fingerprint,
            WarehouseId = command.WarehouseId,
            Policy = command.Policy,
            HoldMinutes = command.HoldMinutes,
            HoldExpiresAt = command.HoldMinutes is { } minutes ? now.AddMinutes(minutes) : null,
            Lines = lines,
            CreatedAt = now,
            State = sagaRuns ? OrderSagaState.Pending : null,
            PerformedBy = command.PerformedBy,
            // Only commits shared by several orders make packs worth their lookup (a prefix read): with coalescing on.
            Pack = sagaRuns || !committer.Coalesces ? null : packs.NameAt(now),
            Bucket = sagaRuns ? null : escrow?.BucketFor(lines[0].ProductId)?.Index,
        }, ct, sagaRuns ? () => headers.EnlistAsync(SagaKind, command.OrderId, clock.GetUtcNow(), CancellationToken.None) : null);

        // Claimed: from here the saga is finished whatever the caller does, so the request's token no longer applies.
        // Its entry is there: recovery removes an entry it finds with no header only after fencing the header's place, so
        // a driver stalled past that claims only by enlisting again first (OrderHeaders.ClaimAsync).
        var end = order.DecidedByProduct
            ? await DecideByProductAsync(order, created, loaded, CancellationToken.None)
            : await DriveAsync(order, created, loaded, CancellationToken.None);
        if (end.Refusal is { } refusal)
        {
            InventoryMetrics.Reservation(created ? "rejected" : "replayed");
            throw refusal;
        }
        InventoryMetrics.Reservation(created ? end.View!.Status.ToString() : "replayed");
        return new ReserveResult(end.View!, created);
    }

    /// <summary>Finishes an order's reserve saga left open (by a crash, a timeout): forward from Pending, back from Compensating.</summary>
    public async Task ResumeAsync(string orderId, CancellationToken ct)
    {
        var enlisted = await headers.EnlistedAsync(SagaKind, orderId, ct); // read first: a retry enlisted after it keeps its entry
        var order = await headers.FindAsync(orderId, ct);
        // No header: enlisted, then died before the claim, or stalls there. Its claim is fenced off before the entry goes (a
        // claim landing after the removal would leave the order PENDING with no entry); one that landed first is driven.
        if (order is null && enlisted is not null) order = await headers.FenceClaimAsync(orderId, clock.GetUtcNow(), ct);
        if (order is not { DecidedByProduct: false })
        {
            // No header: nothing happened, and the claim is fenced. Decided by its product: enlisted by a reuse of the id for
            // several products, refused at the claim, or by a refusal not on its header yet (no saga to finish). A refusal
            // on a one-product order's header is driven below: its compensation.
            if (enlisted is not null) await headers.DelistAsync(SagaKind, orderId, enlisted, ct);
            return;
        }
        await DriveAsync(order, false, new(StringComparer.Ordinal), ct); // a refusal is an end too: recorded, compensated
    }

    /// <summary>How a saga ended: the reservation, or the refusal to raise.</summary>
    private sealed record SagaEnd(ReservationView? View, Exception? Refusal);

    private async Task<SagaEnd> DriveAsync(OrderRecord order, bool created, Dictionary<string, LoadedStock> loaded, CancellationToken ct)
    {
        if (order.IsRefused) return await CompensateAsync(order, ct);
        if (order.State is OrderSagaState.Reserved) return await FinishAsync(order, ct);

        if (order.HoldExpiresAt is { } expiresAt) await headers.WriteHoldAsync(new HoldIndexEntry(order.OrderId, expiresAt), ct);

        var decided = new Dictionary<string, ProductReservation?>(StringComparer.Ordinal);
        (OrderRefusal Refusal, Exception? Error)? refused = null;
        // A replay reads every product first: one recorded as rejected by an earlier attempt decides before anything more is reserved.
        foreach (var line in order.Lines.Where(l => !created && !loaded.ContainsKey(l.ProductId)))
        {
            try
            {
                loaded[line.ProductId] = await committer.LoadAsync(line.ProductId, StockRead.ForOrder(order.OrderId), ct);
            }
            catch (Exception e) when (Refusal(e, line.ProductId) is { } r) { refused = (r, e); break; }
        }
        if (refused is null && loaded.Values.Any(l => ReservationView.IsRejection(l.Stock.Reservation(order.OrderId))))
            refused = (await ShortageAsync(order, loaded, decided, ct), null);

        foreach (var line in order.Lines)
        {
            if (refused is not null) break;
            var request = new ReserveRequest(order.OrderId, line.Quantity, order.WarehouseId, order.Policy, order.HoldExpiresAt, order.PerformedBy);
            try
            {
                var reservation = await ReserveAsync(line.ProductId, null, StockRead.ForOrder(order.OrderId), request, loaded.GetValueOrDefault(line.ProductId), ct);
                decided[line.ProductId] = reservation;
                if (ReservationView.IsRejection(reservation)) refused = (await ShortageAsync(order, loaded, decided, ct), null);
            }
            catch (Exception e) when (Refusal(e, line.ProductId) is { } r) { refused = (r, e); }
        }

        if (refused is not { } refusal)
        {
            var settled = await headers.ChangeAsync(order.OrderId, o => o.State is OrderSagaState.Pending or null
                ? o with { State = OrderSagaState.Reserved, UpdatedAt = clock.GetUtcNow() } : o, ct);
            return settled.IsRefused ? await CompensateAsync(settled, ct) : await FinishAsync(settled, ct, decided);
        }

        var recorded = await headers.ChangeAsync(order.OrderId, o => o.State is OrderSagaState.Pending or null
            ? o with { State = OrderSagaState.Compensating, Refusal = refusal.Refusal, UpdatedAt = clock.GetUtcNow() } : o, ct);
        if (recorded.State is OrderSagaState.Reserved) return await FinishAsync(recorded, ct); // another driver finished it forward
        return await CompensateAsync(recorded, ct, recorded.Refusal == refusal.Refusal ? refusal.Error : null);
    }

    /// <summary>
    /// An order of one product: the product's one transaction is the order's decision (a reservation, or a REJECTED one for
    /// a shortage, each recorded in the product partition, where a replay finds it), so the header is not written again.
    /// A refusal the product cannot record (an inactive product found by the decision, a change too large for one
    /// transaction) goes on the header, straight to Rejected (one write, a rare path), then a compensation pass gives back
    /// what a concurrent driver of the same order may have reserved meanwhile. A transient failure leaves the header with
    /// no stock held: GET shows PENDING and the caller's retry finishes it.
    /// </summary>
    private async Task<SagaEnd> DecideByProductAsync(OrderRecord order, bool created, Dictionary<string, LoadedStock> loaded, CancellationToken ct)
    {
        var hold = order.HoldExpiresAt is { } expiresAt ? new HoldIndexEntry(order.OrderId, expiresAt) : null;
        var line = order.Lines[0];
        var request = new ReserveRequest(order.OrderId, line.Quantity, order.WarehouseId, order.Policy, order.HoldExpiresAt, order.PerformedBy);
        if (!created) await AwaitClaimantAsync(order, line.ProductId, ct);
        var read = created ? StockRead.ForNewOrder(order.OrderId, OrderClaim.ExclusiveUntil(order, options), order.Pack)
            : StockRead.ForOrder(order.OrderId, order.Pack);
        // Read before the header was known, the product's state did not look in the order's pack: only a claimant may use it
        // (its order has no reservation yet), and only in the product's partition.
        var preloaded = created && order.Bucket is null ? loaded.GetValueOrDefault(line.ProductId) : null;
        ProductReservation reservation;
        try
        {
            if (hold is not null) await headers.WriteHoldAsync(hold, ct);
            reservation = await ReserveAsync(line.ProductId, order.Bucket, read, request, preloaded, ct);
        }
        catch (Exception e) when (Refusal(e, line.ProductId) is { } refusal)
        {
            // The refusal goes on the header before its compensation: enlisted first, so a death in between is finished by
            // recovery (a twin's reservation given back). Enlisted again after: recovery may have removed the entry while
            // the header had no refusal yet (this request stalled past the recovery delay); the compensation delists.
            await headers.EnlistAsync(SagaKind, order.OrderId, clock.GetUtcNow(), ct);
            var recorded = await headers.ChangeAsync(order.OrderId, o => o.State is null
                ? o with { State = OrderSagaState.Rejected, Refusal = refusal, UpdatedAt = clock.GetUtcNow() } : o, ct);
            await headers.EnlistAsync(SagaKind, order.OrderId, clock.GetUtcNow(), ct);
            return await CompensateAsync(recorded, ct, recorded.Refusal == refusal ? e : null);
        }
        catch (Exception e) when (created && Transient(e))
        {
            await EndClaimAsync(order.OrderId);
            throw;
        }

        // Closed by another driver's compensation of the order (refused for a reason the product could not record): its answer.
        if (reservation is { Status: ReservationStatus.Released, StatusReason: ProductStock.OrderRejectedReason, Allocations.Count: 0 }
            && await headers.FindAsync(order.OrderId, ct) is { IsRefused: true } refused)
            return await CompensateAsync(refused, ct);
        var decided = new Dictionary<string, ProductReservation?>(StringComparer.Ordinal) { [line.ProductId] = reservation };
        return ReservationView.IsRejection(reservation)
            ? new SagaEnd(null, (await ShortageAsync(order, loaded, decided, ct)).ToException(order.OrderId))
            : new SagaEnd(ReservationView.From(order, decided), null);
    }

    /// <summary>
    /// Reserves one product of an order, in the product's partition or in the order's escrow bucket. A bucket that lacks
    /// units asks the product for a grant before deciding; when the product has none, the other buckets give their free
    /// units back and the grant is asked again; this goes on while grants bring units (others may take them first), and
    /// the order is decided (refused, or partly reserved under Partial) once a grant after gathering brings none, or
    /// after <see cref="MaxEscrowRounds"/>. The product's partition, when it lacks units while buckets hold some (an order
    /// of several products, or escrow switched off), has them given back first.
    /// </summary>
    private async Task<ProductReservation> ReserveAsync(string productId, int? bucketIndex, StockRead read, ReserveRequest request,
        LoadedStock? preloaded, CancellationToken ct)
    {
        var bucket = bucketIndex is { } b ? new EscrowBucket(productId, b) : null;
        if (bucket is not null) await escrow!.CreateAsync(bucket, ct); // a refusal is recorded in the bucket, even one made before any grant
        for (var round = 0; ; round++)
        {
            try
            {
                return await committer.RunAsync(bucket?.Partition ?? productId, read, s =>
                {
                    var mayAsk = round < MaxEscrowRounds && escrow is not null && (bucket is not null || (round == 0 && s.EscrowBuckets.Count > 0));
                    if (mayAsk && s.Reservation(request.OrderId) is null && s.AvailableIn(request.WarehouseId) is var available && available < request.Quantity)
                        throw new EscrowShortfallException(request.Quantity - available, [.. s.EscrowBuckets]);
                    return Matching(s.Reserve(request, allocation, clock.GetUtcNow()), request);
                }, ct, round == 0 ? preloaded : null);
            }
            catch (EscrowShortfallException e)
            {
                if (bucket is null)
                {
                    await escrow!.GatherAsync(productId, e.Buckets, ct);
                    continue;
                }
                // The first grant is shared with the requests short at the same time; a request still short asks for its own.
                if (await escrow!.GrantAsync(bucket, e.Missing, request.WarehouseId, ct, join: round == 0) > 0) continue;
                // Every bucket the product lists (its head), not only this instance's count: an instance configured with fewer
                // buckets (Escrow__Buckets lowered, or set differently) refused orders while another bucket held free units.
                var listed = await committer.Partitions.BucketsAsync(productId, ct);
                await escrow.GatherAsync(productId, listed.Union(escrow.BucketsOf(productId).Select(o => o.Index)).Where(i => i != bucket.Index), ct);
                if (await escrow.GrantAsync(bucket, e.Missing, request.WarehouseId, ct, join: false) == 0) round = MaxEscrowRounds - 1; // nothing anywhere: decide
            }
        }
    }

    /// <summary>How many times one request may move units into its partition before it is decided on what is there.</summary>
    private const int MaxEscrowRounds = 8;

    /// <summary>
    /// Gives back every product of a refused order that still holds stock, then records the end. Idempotent: the reference
    /// is fixed. A product the order holds nothing in records it closed (<see cref="ProductStock.CloseForRejectedOrder"/>),
    /// so a driver of the same order that read it before this pass cannot reserve there after it. A one-product order a
    /// cancel closed there first ends released (<see cref="ReservationView.ReleasedBeforeItsRefusal"/>).
    /// </summary>
    private async Task<SagaEnd> CompensateAsync(OrderRecord order, CancellationToken ct, Exception? original = null)
    {
        var found = new Dictionary<string, ProductReservation?>(StringComparer.Ordinal);
        foreach (var line in order.Lines)
        {
            try
            {
                found[line.ProductId] = await committer.RunAsync(order.StockOf(line.ProductId), StockRead.ForChange(order.OrderId, ChangeIntent.Rollback, order.Pack),
                    s => GiveBack(s, order, line, clock.GetUtcNow()), ct);
            }
            catch (ProductNotFoundException) { } // nothing was ever reserved there
        }
        if (order.State is not OrderSagaState.Rejected)
            order = await headers.ChangeAsync(order.OrderId, o => o.State is OrderSagaState.Compensating
                ? o with { State = OrderSagaState.Rejected, UpdatedAt = clock.GetUtcNow() } : o, ct);
        await headers.DelistAsync(SagaKind, order.OrderId, ct);
        // A cancel closed this one-product order in its product before the refusal got there: answered as the order stands.
        if (ReservationView.ReleasedBeforeItsRefusal(order, found)) return new SagaEnd(ReservationView.From(order, found), null);
        return new SagaEnd(null, original
            ?? (order.Refusal ?? new OrderRefusal("invalid-state", $"Order '{order.OrderId}' was refused.")).ToException(order.OrderId));
    }

    /// <summary>
    /// The compensation's decision in one product of a refused order: what it holds is released (order-rejected), where it
    /// has no reservation it is recorded closed; a closed one stays. Also a cancel's, of an order refused on its header.
    /// </summary>
    internal static ProductReservation GiveBack(ProductStock s, OrderRecord order, OrderLine line, DateTimeOffset now) =>
        s.Reservation(order.OrderId) switch
        {
            { Status: ReservationStatus.Active } => s.Release(order.OrderId, ChangeIntent.Rollback, "all", null, ReleaseReason.OrderRejected, order.PerformedBy, now),
            null => s.CloseForRejectedOrder(new ReserveRequest(order.OrderId, line.Quantity, order.WarehouseId, order.Policy, order.HoldExpiresAt, order.PerformedBy), now),
            var closed => closed,
        };

    private async Task<SagaEnd> FinishAsync(OrderRecord order, CancellationToken ct, Dictionary<string, ProductReservation?>? decided = null)
    {
        await headers.DelistAsync(SagaKind, order.OrderId, ct);
        var byProduct = decided is not null && order.Lines.All(l => decided.ContainsKey(l.ProductId)) ? decided : await headers.ReservationsAsync(order, ct);
        return new SagaEnd(ReservationView.From(order, byProduct), null);
    }

    /// <summary>The refusal of an order short of stock: what each product had available when it decided (or has now, if it never did).</summary>
    private async Task<OrderRefusal> ShortageAsync(OrderRecord order, Dictionary<string, LoadedStock> loaded,
        Dictionary<string, ProductReservation?> decided, CancellationToken ct)
    {
        var shortLines = new List<ShortLine>();
        foreach (var line in order.Lines)
        {
            var recorded = decided.GetValueOrDefault(line.ProductId) ?? loaded.GetValueOrDefault(line.ProductId)?.Stock.Reservation(order.OrderId);
            var available = recorded?.AvailableAtDecision
                ?? (loaded.GetValueOrDefault(line.ProductId) ?? await committer.LoadAsync(line.ProductId, StockRead.BalancesOnly, ct)).Stock.AvailableIn(order.WarehouseId);
            shortLines.Add(new ShortLine(line.ProductId, line.Quantity, available));
        }
        var error = new InsufficientStockException(order.OrderId, shortLines);
        return new OrderRefusal(error.Code, error.Message, null, shortLines);
    }

    /// <summary>
    /// What refuses the order, as recorded: a domain refusal or a store limit. Transient failures (the store unavailable or
    /// throttled, contention) are not refusals: the saga stays open and a replay or recovery carries it on.
    /// </summary>
    private static OrderRefusal? Refusal(Exception e, string productId) => e switch
    {
        ConcurrencyExhaustedException => null,
        DomainException d => new OrderRefusal(d.Code, d.Message, productId),
        TransactionTooLargeException t => new OrderRefusal(TransactionTooLargeException.Code, t.Message, productId),
        SharedCommitFailedException { InnerException: TransactionTooLargeException t } => new OrderRefusal(TransactionTooLargeException.Code, t.Message, productId),
        _ => null,
    };

    private async Task<Dictionary<string, LoadedStock>> CheckAsync(ReserveCommand command, OrderLine[] lines, CancellationToken ct)
    {
        if (command.WarehouseId is { } warehouseId && !knownWarehouses.Contains(warehouseId, clock.GetUtcNow()))
        {
            // Warehouses are never deleted: one that existed a moment ago still does.
            if (!await new WarehouseDocuments(store).ExistsAsync(warehouseId, ct))
                throw new WarehouseNotFoundException(warehouseId);
            knownWarehouses.Add(warehouseId, clock.GetUtcNow());
        }

        // Every product is checked before the header is written: an unknown or inactive product writes nothing. A product
        // seen active in the last second is not read again (products are never deleted), which spares hot products a read
        // per request; the decision itself still refuses an inactive product (and the saga then gives back the others).
        var loaded = new Dictionary<string, LoadedStock>(StringComparer.Ordinal);
        foreach (var line in lines.Where(l => !recentlyActive.Contains(l.ProductId, clock.GetUtcNow())))
            loaded[line.ProductId] = await LoadActiveAsync(line.ProductId, command.OrderId, ct);
        return loaded;
    }

    private async Task<LoadedStock> LoadActiveAsync(string productId, string orderId, CancellationToken ct)
    {
        try
        {
            var loaded = await committer.LoadAsync(productId, StockRead.ForOrder(orderId), ct);
            if (!loaded.Stock.Product.IsActive) throw new InvalidStateException($"Product '{productId}' is inactive and cannot be reserved.");
            recentlyActive.Add(productId, clock.GetUtcNow());
            return loaded;
        }
        catch
        {
            // Requests that came meanwhile took it as still active (RecentlySeen.Contains): from here every one looks.
            recentlyActive.Forget(productId);
            throw;
        }
    }

    /// <summary>
    /// Another request claimed this one-product order moments ago and may be reserving it without looking for an earlier
    /// reservation (<see cref="OrderClaim"/>): wait until its reservation shows, its header records a refusal, or its
    /// exclusive time is over (bounded in real time too, for a clock that does not move).
    /// </summary>
    /// <remarks>
    /// The header is looked at first (the order's own partition), the product's reservation only then (the product's,
    /// hot when the order is), at growing intervals: under overload, requests waiting here must not add to it.
    /// </remarks>
    private async Task AwaitClaimantAsync(OrderRecord order, string productId, CancellationToken ct)
    {
        var until = OrderClaim.OthersFrom(order, options);
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        for (var poll = 0; clock.GetUtcNow() < until && System.Diagnostics.Stopwatch.GetElapsedTime(started) < OrderClaim.LongestWait(options); poll++)
        {
            var header = poll == 0 ? order : await headers.FindAsync(order.OrderId, ct);
            if (header is null || !OrderClaim.IsPending(header)) return;
            if (await committer.Partitions.ReservationAsync(order.StockOf(productId), order.OrderId, order.Pack, ct) is not null) return;
            await Task.Delay(OrderClaim.PollInterval(poll), ct);
        }
    }

    /// <summary>
    /// A failure this process carries on after: the store throttled or unavailable, or contention. Nothing was recorded,
    /// unless a commit's acknowledgement was lost, and then the next request's read finds it.
    /// </summary>
    private static bool Transient(Exception e) => e is StoreFailureException or ConcurrencyExhaustedException
        || (e is SharedCommitFailedException { InnerException: { } inner } && Transient(inner));

    /// <summary>
    /// The claimant stopped without a decision (its commit throttled, lost to contention, or the store unavailable): the
    /// header says so, and the caller's retry goes ahead at once instead of waiting out the claim. Safe: the claimant makes
    /// no attempt after this, and any later request reads the order's reservation before deciding (a commit of the
    /// claimant's that landed unacknowledged is found, or loses to the later one: both replace the head). Best effort:
    /// without it, others wait out the exclusive time as before.
    /// </summary>
    private async Task EndClaimAsync(string orderId)
    {
        try
        {
            await headers.ChangeAsync(orderId, o => OrderClaim.IsPending(o) ? o with { ClaimEndedAt = clock.GetUtcNow() } : o, CancellationToken.None);
        }
        catch (Exception e) when (e is StoreFailureException or ConcurrencyExhaustedException) { }
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
