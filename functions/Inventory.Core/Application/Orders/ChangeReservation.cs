using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Inventory.Application.Escrow;
using Inventory.Application.Stock;
using Inventory.Domain;
using Inventory.Storage;

namespace Inventory.Application.Orders;

/// <summary>A line of a release or fulfilment: a product of the order and, optionally, how much (default: all it still holds).</summary>
public sealed record ReservationLineChange(string ProductId, long? Quantity = null);

public sealed record ReservationChangeCommand(
    string OrderId, IReadOnlyList<ReservationLineChange>? Lines = null, string? Reference = null, string PerformedBy = "api");

/// <summary>
/// Fulfilling and releasing are one saga over the order's products, coordinated by the order's partition:
/// <list type="number">
/// <item>plan: read the header and every named product, decide each product's change on a copy; any refusal refuses
/// the whole request before anything is written;</item>
/// <item>record the intent (the reference, bound to the whole request, and each product's exact quantity), must not exist;</item>
/// <item>apply it product by product, each step idempotent by the intent's key recorded in the product's partition;
/// a step refused by a change that raced in is reported on its line, never thrown after another line was applied;</item>
/// <item>record the outcome and close the intent.</item>
/// </list>
/// Once the intent exists the saga is finished whatever the caller does: a retry, a replay or
/// <see cref="ResumeReservationChanges"/> completes a pending one from what it recorded. After each product's step (also
/// one found applied before, so a step missed by a crash runs on the retry) <paramref name="afterCommit"/> runs with the
/// entries it wrote, or none when applied before.
/// </summary>
public abstract class ChangeReservation(StockCommitter committer, OrderHeaders headers, TimeProvider clock, AfterStockCommit? afterCommit = null)
{
    protected abstract ChangeKind Kind { get; }

    /// <summary>Whether a step may lower availability (a fulfilment ships), so the post-commit step sees it as a drop.</summary>
    protected abstract bool Lowers { get; }

    protected abstract ProductReservation Apply(ProductStock stock, string orderId, string reference, string fingerprint, long? quantity,
        string performedBy, DateTimeOffset now);

    public async Task<ReservationView> ExecuteAsync(ReservationChangeCommand command, CancellationToken ct = default)
    {
        Validate(command);
        var requested = Requested(command.Lines);
        var reference = command.Reference ?? DerivedReference(requested);
        var fingerprint = Fingerprint(requested);
        var key = ChangeIntent.KeyOf(Kind, command.Reference is null, reference);

        var (order, intent) = await headers.FindWithIntentAsync(command.OrderId, key, ct);
        if (order is null) throw new ReservationNotFoundException(command.OrderId);
        // An order of several products whose reserve saga is still deciding (or giving back): what it holds is not settled,
        // so a fulfilment could ship for an order that ends rejected, and a release find nothing yet to give back.
        if (order.State is not null && !order.IsTerminal)
            throw InvalidStateException.StillReserving(order.OrderId);
        var targets = Targets(order, requested);
        if (intent is not null && intent.Fingerprint != fingerprint) throw new ReferenceConflictException(reference);
        // Refused on its header, the order holds nothing, whatever its product holds (a twin's reservation its claimant's
        // compensation has not reached yet): nothing to ship, as once compensated.
        if (intent is null && Kind == ChangeKind.Fulfil && order.State is OrderSagaState.Rejected) throw RejectedOrder(order.OrderId);
        if (intent is null) await AwaitClaimantAsync(order, targets, key, ct);

        // An order claimed in an escrow bucket not made yet holds nothing: refused before any intent is recorded, so no
        // driver of it can apply once the bucket is made and the order reserved there. A release that closes the order
        // (ClosesUnreserved) makes the bucket instead, as hold expiry does, so that its fence is where a late reservation lands.
        // A cancel of an order refused on its header makes nothing: its step answers nothing held, as the compensation finds.
        if (intent is null && order.Bucket is { } index)
            foreach (var (productId, quantity) in targets)
                if (!CancelsRefused(order, quantity) && await committer.Partitions.ProductAsync(order.StockOf(productId), ct) is null)
                {
                    if (Escrow is null || !ClosesUnreserved(order, quantity)) throw new ReservationNotFoundException(order.OrderId);
                    await Escrow.CreateAsync(new EscrowBucket(productId, index), ct);
                }

        var planned = new Dictionary<string, LoadedStock>(StringComparer.Ordinal);
        string? ownRun = null; // the run that enlisted the order, when this request did
        for (var attempt = 1; intent is null; attempt++)
        {
            var run = Convert.ToHexString(RandomNumberGenerator.GetBytes(6));
            (intent, planned) = await PlanAsync(order, targets, reference, command.Reference is null, fingerprint, command.PerformedBy, run, ct);
            await headers.EnlistSharedAsync(ResumeReservationChanges.SagaKind, order.OrderId, clock.GetUtcNow(), run, ct); // so RecoverOrders finds it
            ownRun = run;
            if (await headers.RecordIntentAsync(intent, ct)) break;
            // The same reference raced in: the one recorded decides; if it was refused and abandoned meanwhile, decide again.
            intent = (await headers.FindWithIntentAsync(order.OrderId, key, ct)).Intent;
            if (intent is null && attempt == MaxIntentAttempts) throw new ConcurrencyExhaustedException(order.OrderId, attempt);
            if (intent is not null && intent.Fingerprint != fingerprint) throw new ReferenceConflictException(reference);
            planned.Clear();
        }
        // The intent is durable: from here the saga runs to its end even if the caller goes away. Enlisted again first: a
        // replay or recovery that found no pending intent while this one was landing may have removed the entry.
        if (ownRun is not null) await headers.EnlistSharedAgainAsync(ResumeReservationChanges.SagaKind, order.OrderId, clock.GetUtcNow(), ownRun, CancellationToken.None);
        return await FinishAsync(order, intent, planned, CancellationToken.None, ownRun);
    }

    /// <summary>
    /// A one-product order's claimant may still be reserving within its exclusive time (<see cref="OrderClaim"/>): a
    /// change finding no reservation then was answered 404, and the units landing after stayed held. Asked to retry
    /// instead, as for an order of several products still reserving. One read, only in the claim's first seconds. After
    /// them, a release of every unit finding no reservation closes the order (<see cref="ClosesUnreserved"/>).
    /// </summary>
    private async Task AwaitClaimantAsync(OrderRecord order, IReadOnlyList<(string ProductId, long? Quantity)> targets, string key, CancellationToken ct)
    {
        if (order.State is not null || !OrderClaim.IsPending(order) || clock.GetUtcNow() >= OrderClaim.OthersFrom(order, Orders)) return;
        foreach (var (productId, _) in targets)
        {
            bool held;
            try { held = (await committer.LoadAsync(order.StockOf(productId), StockRead.ForChange(order.OrderId, key, order.Pack), ct)).Stock.Reservation(order.OrderId) is not null; }
            catch (ProductNotFoundException) when (order.Bucket is not null) { held = false; } // its bucket not made yet
            if (!held) throw InvalidStateException.StillReserving(order.OrderId);
        }
    }

    /// <summary>
    /// Applies what is left of <paramref name="intent"/> and closes it; the view carries each line's outcome. A run whose
    /// every step is refused answers the intent recorded under its reference meanwhile, if one is (<paramref name="adopt"/>).
    /// </summary>
    internal async Task<ReservationView> FinishAsync(OrderRecord order, ChangeIntent intent, IReadOnlyDictionary<string, LoadedStock> preloaded,
        CancellationToken ct, string? ownRun = null, bool adopt = true)
    {
        // Whoever finishes an intent (its run, a retry of its request, recovery) may remove the entry its run enlisted.
        ownRun ??= intent.Run;
        var decided = new Dictionary<string, ProductReservation?>(StringComparer.Ordinal);
        if (!intent.IsDone)
        {
            var lines = new List<ChangeLine>();
            DomainException? refused = null;
            foreach (var line in intent.Lines)
            {
                if (line.Quantity == 0) { lines.Add(line with { Outcome = ChangeLine.NothingHeld }); continue; }
                var shortfall = order.Bucket is not null && Lowers ? await ProductShortAsync(order, line, ct) : null;
                StepResult step;
                try
                {
                    step = await committer.RunAsync(order.StockOf(line.ProductId), StepRead(order, intent),
                        s => Step(s, order, intent, line, shortfall), ct, shortfall is null ? preloaded.GetValueOrDefault(line.ProductId) : null);
                }
                catch (ProductNotFoundException) when (order.Bucket is not null)
                {
                    // Its bucket is not made (an intent recorded before the check above was): nothing held there. A cancel of an
                    // order refused on its header is answered so, as its compensation finds it (nothing to give back).
                    if (CancelsRefused(order, line.Quantity))
                    {
                        decided[line.ProductId] = null;
                        lines.Add(line with { Outcome = ChangeLine.NothingHeld });
                        continue;
                    }
                    step = new StepResult(null, new ReservationNotFoundException(order.OrderId), null);
                }
                if (order.Bucket is { } bucket && step.Refusal is null) step = await SettleAsync(new EscrowBucket(line.ProductId, bucket), order.OrderId, intent, step, ct);
                if (step.Refusal is { } refusal)
                {
                    lines.Add(line with { Outcome = ChangeLine.Refused, Code = refusal.Code });
                    refused ??= refusal;
                    continue;
                }
                decided[line.ProductId] = step.Reservation;
                lines.Add(line with { Outcome = NothingMoved(line, step, intent.Key) ? ChangeLine.NothingHeld : ChangeLine.Applied });
                if (step.Moved is not null && afterCommit is not null) await afterCommit.RunAsync(StockChanged.Of(step.Moved, Lowers), ct);
            }
            if (refused is not null && !lines.Any(l => l.Outcome == ChangeLine.Applied))
            {
                // Nothing was applied: the request is refused as a whole, as if never recorded (docs/http-api.md).
                await headers.AbandonIntentAsync(intent, ct);
                await DelistIfIdleAsync(order.OrderId, ownRun, ct);
                // Unless its reference is recorded by now after all: this run was abandoned already (by another of its drivers,
                // recovery) and a twin of the request (the same request delivered again) recorded its own run, or another
                // driver of this run closed it. That intent is the request's answer, as it is any replay's: a refusal
                // answered after it (this run stalled while the twin ran) would contradict it. Looked at once this run's is gone.
                if (adopt && await headers.IntentAsync(order.OrderId, intent.Key, ct) is { } recorded
                    && recorded.Fingerprint == intent.Fingerprint && (recorded.IsDone || recorded.Run != intent.Run))
                    return await FinishAsync(order, recorded, new Dictionary<string, LoadedStock>(), ct, adopt: false);
                throw refused;
            }
            intent = await headers.CompleteIntentAsync(intent with { Lines = lines, CompletedAt = clock.GetUtcNow() }, ct);
            await DelistIfIdleAsync(order.OrderId, ownRun, ct);
        }
        else await DelistIfIdleAsync(order.OrderId, ownRun, ct); // a replay: the run that closed it may have died before delisting
        foreach (var (productId, loaded) in preloaded)
            if (!decided.ContainsKey(productId)) decided[productId] = loaded.Stock.Reservation(order.OrderId);
        if (order.Lines.Any(l => !decided.ContainsKey(l.ProductId)))
            foreach (var (productId, reservation) in await headers.ReservationsAsync(order, ct))
                decided.TryAdd(productId, reservation);
        return ReservationView.From(order, decided) with { Change = new ChangeView(intent.Kind, intent.Reference, intent.Lines) };
    }

    /// <summary>
    /// A shipment from a bucket settles in the product, whose on hand must hold it: a forced count may have taken the
    /// product below what its bucket holds for the order. Refused before the bucket ships, as without escrow; found only
    /// at the settlement, it failed for good with the bucket's units shipped. Checked on each location the order still
    /// holds units at (conservative for a partial shipment). A count landing between this check and the settlement remains.
    /// </summary>
    private async Task<InsufficientStockException?> ProductShortAsync(OrderRecord order, ChangeLine line, CancellationToken ct)
    {
        if (await committer.Partitions.ReservationAsync(order.StockOf(line.ProductId), order.OrderId, order.Pack, ct) is not { } held
            || await committer.Partitions.StockAsync(line.ProductId, ct, withBuckets: false) is not { } product) return null;
        foreach (var a in held.Allocations.Where(a => a.Remaining > 0))
        {
            var onHand = product.Balances.FirstOrDefault(b => b.LocationId == a.LocationId)?.QuantityOnHand ?? 0;
            if (onHand < Math.Min(a.Remaining, line.Quantity ?? a.Remaining))
                return new InsufficientStockException(order.OrderId, [new ShortLine(line.ProductId, line.Quantity ?? held.Remaining, onHand)]);
        }
        return null;
    }

    /// <summary>Intents recorded by the same reference and abandoned before this request could read them, before it gives up.</summary>
    private const int MaxIntentAttempts = 5;

    /// <summary>
    /// Removes the order's entry when no intent is pending, if this request's run enlisted it last or it is stale: a
    /// fresh entry of another change (enlisted, its intent not landed yet) stays for it, or for recovery once stale.
    /// </summary>
    private Task DelistIfIdleAsync(string orderId, string? ownRun, CancellationToken ct) =>
        headers.DelistSharedIfAsync(ResumeReservationChanges.SagaKind, orderId,
            e => (ownRun is not null && e.EnlistedBy == ownRun) || e.LastEnlisted <= clock.GetUtcNow() - TimeSpan.FromSeconds(Orders.RecoverAfterSeconds),
            async () => (await headers.OpenIntentsAsync(orderId, ct)).Count == 0, ct);

    /// <summary>The recovery delay: how long an entry enlisted by another request is left for it.</summary>
    public OrderOptions Orders { get; init; } = new();

    /// <summary>Makes the escrow bucket a release closes an order in (<see cref="ClosesUnreserved"/>); without it, a bucket not made is 404.</summary>
    public EscrowBuckets? Escrow { get; init; }

    /// <summary>
    /// Whether a step finding no reservation of the order records it closed instead of refusing: a release of every unit
    /// (a cancel) of a one-product order with no refusal recorded, once its claimant may no longer take the reservation as
    /// absent (<see cref="OrderClaim"/>: its exclusive time and the skew are over, or its claim ended). Refused (404), the
    /// release wrote nothing, and a claimant that stalled past its time committed after it: the units stayed held for good
    /// though the caller was told the order held nothing. Closed (<see cref="ProductStock.CloseForRelease"/>, replacing the
    /// head), the late commit loses to the head and finds the order released. Not within the exclusive time: the claimant's
    /// retry would not look for the record then. A release of a given quantity, or a fulfilment, still finds nothing (404):
    /// neither says the order is over.
    /// </summary>
    private bool ClosesUnreserved(OrderRecord order, long? quantity) =>
        Kind == ChangeKind.Release && quantity is null && order.DecidedByProduct
        && (!OrderClaim.IsPending(order) || clock.GetUtcNow() >= OrderClaim.OthersFrom(order, Orders));

    /// <summary>A cancel (a release of every unit) of an order refused on its header: answered as the order stands, nothing held.</summary>
    private bool CancelsRefused(OrderRecord order, long? quantity) =>
        Kind == ChangeKind.Release && quantity is null && order.State is OrderSagaState.Rejected;

    /// <summary>
    /// "All" of a product that held nothing (an order of one product is not planned, so its step decides it): closed
    /// before, or open with nothing left (a PARTIAL order that got none), whose step then moved nothing.
    /// </summary>
    private static bool NothingMoved(ChangeLine line, StepResult step, string key) =>
        line.Quantity is null && (step.Change is { Quantity: 0 }
            || step.Change is null && step.Reservation is { Status: not ReservationStatus.Active } r && r.Applied?.Any(a => a.Reference == key) != true);

    private sealed record StepResult(ProductReservation? Reservation, DomainException? Refusal, StockMoved? Moved, AppliedChange? Change = null);

    /// <summary>
    /// A shipment made in an escrow bucket, shipped again in the product out of the bucket's hold (SHIP entries naming
    /// the order), idempotently by the order's change: the units leave the product's on hand as they left the bucket's.
    /// The intent stays open until this is done, so a crash between the two is finished by the saga's retry or recovery.
    /// What runs after the commit sees the product's move, not the bucket's. A release stays in the bucket.
    /// </summary>
    private async Task<StepResult> SettleAsync(EscrowBucket bucket, string orderId, ChangeIntent intent, StepResult step, CancellationToken ct)
    {
        if (step.Change?.Lots is not { Count: > 0 } lots) return step with { Moved = null };
        var key = ProductStock.ChangeKey(orderId, intent.Key);
        var (_, moved) = await committer.RunAsync(bucket.ProductId, new StockRead([bucket.Holder], [ProductStock.OperationKey(OperationKind.Settle, key)]),
            s => StockMoved.Capture(s, p => p.SettleShipment(orderId, intent.Key, bucket, lots, intent.PerformedBy, clock.GetUtcNow())), ct);
        return step with { Moved = moved };
    }

    /// <summary>
    /// One product's step, a pure decision. A refusal (a change raced in since the plan; <paramref name="shortfall"/>: the
    /// product behind a bucket cannot settle it) changes no stock and is recorded under the intent's run, so a driver of the
    /// same run that reads the product later reports it instead of applying: the run is abandoned when every step is
    /// refused, and a step applied after that would have no record on the order. A refusal recorded by another driver is
    /// reported as it is.
    /// </summary>
    private StepResult Step(ProductStock stock, OrderRecord order, ChangeIntent intent, ChangeLine line, DomainException? shortfall)
    {
        var orderId = order.OrderId;
        var fence = intent.RefusalReference;
        var checkpoint = stock.Save();
        if (fence is not null && stock.Operation(ProductStock.OperationKey(OperationKind.Refusal, fence)) is { RefusalCode: { } code })
        {
            // Refused by another driver of this run: its refusal stands. Decided on a copy first, so a refusal that still
            // holds is reported as the step itself raises it (as a later run would be), the recorded one otherwise.
            DomainException refusal = RecordedRefusal(code, stock.ProductId, orderId);
            try
            {
                if (shortfall is not null) throw shortfall;
                Apply(stock, orderId, intent.Key, line.Quantity?.ToString(CultureInfo.InvariantCulture) ?? "all", line.Quantity, intent.PerformedBy, clock.GetUtcNow());
            }
            catch (DomainException e) when (e is not ConcurrencyExhaustedException) { refusal = e; }
            stock.Restore(checkpoint);
            return new StepResult(null, refusal, null);
        }
        // A cancel of an order refused on its header: answered as the order stands (rejected, nothing held), whatever its
        // product holds (the refusal's compensation not there yet: its process died). Gives back as the compensation does.
        if (CancelsRefused(order, line.Quantity))
            return new StepResult(ReserveStock.GiveBack(stock, order, order.Lines.Single(l => l.ProductId == line.ProductId), clock.GetUtcNow()), null, null);
        // A fulfilment recorded before the refusal reached the header (resumed, or sent again), not applied yet: refused as
        // a new one is, so a twin's units are left for the compensation to give back, not shipped.
        if (Kind == ChangeKind.Fulfil && order.State is OrderSagaState.Rejected && stock.Change(ProductStock.ChangeKey(orderId, intent.Key)) is null)
        {
            var rejected = RejectedOrder(orderId);
            if (fence is not null) stock.RecordRefusal(fence, rejected.Code, clock.GetUtcNow());
            return new StepResult(null, rejected, null);
        }
        if (stock.Reservation(orderId) is null && ClosesUnreserved(order, line.Quantity))
        {
            var ordered = order.Lines.Single(l => l.ProductId == line.ProductId);
            var request = new ReserveRequest(orderId, ordered.Quantity, order.WarehouseId, order.Policy, order.HoldExpiresAt, order.PerformedBy);
            return new StepResult(stock.CloseForRelease(request, clock.GetUtcNow()), null, null);
        }
        try
        {
            if (shortfall is not null && stock.Change(ProductStock.ChangeKey(orderId, intent.Key)) is null) throw shortfall;
            var (reservation, moved) = StockMoved.Capture(stock, s => Apply(s, orderId, intent.Key,
                line.Quantity?.ToString(CultureInfo.InvariantCulture) ?? "all", line.Quantity, intent.PerformedBy, clock.GetUtcNow()));
            return new StepResult(reservation, null, moved, stock.Change(ProductStock.ChangeKey(orderId, intent.Key)));
        }
        catch (DomainException e) when (e is not ConcurrencyExhaustedException)
        {
            stock.Restore(checkpoint);
            if (fence is not null) stock.RecordRefusal(fence, e.Code, clock.GetUtcNow());
            return new StepResult(null, e, null);
        }
    }

    /// <summary>
    /// What a step reads in a product: the order's reservation, the change's record and the run's refusal, if any; for an
    /// order refused on its header, the compensation's record too (a cancel gives back as it does).
    /// </summary>
    private static StockRead StepRead(OrderRecord order, ChangeIntent intent)
    {
        var read = StockRead.ForChange(order.OrderId, intent.Key, order.Pack);
        if (order.State is OrderSagaState.Rejected)
            read = read with { ChangeKeys = [.. read.ChangeKeys!, ProductStock.ChangeKey(order.OrderId, ChangeIntent.Rollback)] };
        return intent.RefusalReference is { } fence ? read with { OperationKeys = [ProductStock.OperationKey(OperationKind.Refusal, fence)] } : read;
    }

    private static InvalidStateException RejectedOrder(string orderId) => new($"Order '{orderId}' was rejected; nothing to fulfil.");

    private static DomainException RecordedRefusal(string code, string productId, string orderId) =>
        new OrderRefusal(code, $"Changing '{productId}' was refused ({code}) by another driver of this change.", productId).ToException(orderId) as DomainException
        ?? new InvalidStateException($"Changing '{productId}' was refused ({code}) by another driver of this change.");

    /// <summary>
    /// A change of several products reads each and decides its change on a copy: a refusal (no reservation, nothing to
    /// fulfil, more than is held, units missing on hand, a change too large for one transaction) refuses the request with
    /// nothing written, and "all" becomes the exact quantity held now. A change of one product is decided by its step
    /// alone, in the product's queue, as any single-product operation is.
    /// </summary>
    private async Task<(ChangeIntent, Dictionary<string, LoadedStock>)> PlanAsync(OrderRecord order, IReadOnlyList<(string ProductId, long? Quantity)> targets,
        string reference, bool derived, string fingerprint, string performedBy, string run, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        ChangeIntent Intent(IReadOnlyList<ChangeLine> lines) => new()
        {
            OrderId = order.OrderId, Kind = Kind, Reference = reference, Derived = derived, Fingerprint = fingerprint,
            Lines = lines, PerformedBy = performedBy, CreatedAt = now, Run = run,
        };
        if (targets.Count == 1) return (Intent([new ChangeLine(targets[0].ProductId, targets[0].Quantity)]), []);

        var key = ChangeIntent.KeyOf(Kind, derived, reference);
        var read = StepRead(order, Intent([]));
        var loaded = await Task.WhenAll(targets.Select(t => committer.LoadAsync(order.StockOf(t.ProductId), read, ct)));
        var planned = new List<ChangeLine>();
        var moves = false; // whether any line changes a quantity (a line closing an empty reservation does not)
        var limits = committer.Partitions.Limits;
        for (var i = 0; i < targets.Count; i++)
        {
            var stock = loaded[i].Stock;
            var reservation = stock.Reservation(order.OrderId) ?? throw new ReservationNotFoundException(order.OrderId);
            var quantity = targets[i].Quantity ?? (reservation.Status == ReservationStatus.Active ? reservation.Remaining : 0);
            if (quantity > 0 || targets[i].Quantity is not null)
            {
                var checkpoint = stock.Save();
                try
                {
                    Apply(stock, order.OrderId, key, quantity.ToString(CultureInfo.InvariantCulture), quantity, performedBy, now);
                    if (ProductPartitions.Changes(loaded[i]).Count > limits.MaxWritesPerCommit)
                        throw new TransactionTooLargeException($"Changing '{stock.ProductId}' needs more than {limits.MaxWritesPerCommit} writes.");
                }
                finally { stock.Restore(checkpoint); }
            }
            // "All" of an open reservation holding nothing (a PARTIAL line that got none) stays "all": its step closes it,
            // moving nothing, where a line of 0 is skipped and left it open for good (the order never read as closed).
            var closesEmpty = targets[i].Quantity is null && reservation is { Status: ReservationStatus.Active, Remaining: 0 };
            planned.Add(new ChangeLine(targets[i].ProductId, closesEmpty ? null : quantity));
            moves |= quantity > 0;
        }
        if (Kind == ChangeKind.Fulfil && !moves
            && loaded.Any(l => l.Stock.Reservation(order.OrderId)!.Status is ReservationStatus.Released or ReservationStatus.Rejected))
            throw new InvalidStateException($"Order '{order.OrderId}' holds nothing to fulfil.");
        return (Intent(planned), loaded.ToDictionary(l => l.Stock.ProductId, StringComparer.Ordinal));
    }

    /// <summary>The request's lines merged per product and sorted: null when it names none (every line of the order).</summary>
    private static (string ProductId, long? Quantity)[]? Requested(IReadOnlyList<ReservationLineChange>? lines) =>
        lines is null ? null
            : lines.GroupBy(l => l.ProductId, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => (g.Key, g.Any(l => l.Quantity is null) ? null : (long?)g.Sum(l => l.Quantity!.Value))).ToArray();

    private static IReadOnlyList<(string ProductId, long? Quantity)> Targets(OrderRecord order, IReadOnlyList<(string ProductId, long? Quantity)>? requested)
    {
        if (requested is null) return order.Lines.Select(l => (l.ProductId, (long?)null)).ToArray();
        var unknown = requested.Where(l => order.Lines.All(o => o.ProductId != l.ProductId)).Select(l => l.ProductId).ToArray();
        if (unknown.Length > 0)
            throw new ValidationException(unknown.Select(p => new FieldError("lines.productId", $"'{p}' is not a product of order '{order.OrderId}'")).ToArray());
        return requested;
    }

    /// <summary>Canonical: the same lines in any order, or split differently within a product, give the same fingerprint.</summary>
    private static string Fingerprint(IReadOnlyList<(string ProductId, long? Quantity)>? requested) =>
        requested is null ? "all" : Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(
            string.Join(",", requested.Select(l => $"{l.ProductId}:{l.Quantity?.ToString(CultureInfo.InvariantCulture) ?? "all"}")))))[..32];

    private static string DerivedReference(IReadOnlyList<(string ProductId, long? Quantity)>? requested) =>
        requested is null ? "all" : "h-" + Fingerprint(requested)[..16];

    private static void Validate(ReservationChangeCommand c)
    {
        var guard = new Guard().Id("orderId", c.OrderId).OptionalId("reference", c.Reference)
            .Text("performedBy", c.PerformedBy, Limits.MaxIdLength)
            // An empty list is refused, not read as "every line": an empty pick list must never ship the whole order.
            .That(c.Lines is null || c.Lines.Count is > 0 and <= Limits.MaxLinesPerRequest, "lines", $"must be left out (every line) or hold 1 to {Limits.MaxLinesPerRequest} lines");
        for (var i = 0; i < (c.Lines?.Count ?? 0); i++)
        {
            guard.Id($"lines[{i}].productId", c.Lines![i]?.ProductId);
            if (c.Lines[i]?.Quantity is { } q) guard.Quantity($"lines[{i}].quantity", q);
        }
        guard.ThrowIfAny();
        new Guard().That(c.Lines is null || c.Lines.GroupBy(l => l.ProductId, StringComparer.Ordinal)
                .All(g => g.Sum(l => l.Quantity ?? 0) <= Limits.MaxQuantity), "lines", $"the lines of one product add up to more than {Limits.MaxQuantity}")
            .ThrowIfAny();
    }
}

/// <summary>Gives back reserved stock (RELEASE entries).</summary>
/// <remarks>On-hand does not move and availability only rises: no post-commit step follows a release.</remarks>
public sealed class ReleaseReservation(StockCommitter committer, OrderHeaders headers, TimeProvider clock) : ChangeReservation(committer, headers, clock)
{
    protected override ChangeKind Kind => ChangeKind.Release;
    protected override bool Lowers => false;

    protected override ProductReservation Apply(ProductStock stock, string orderId, string reference, string fingerprint, long? quantity,
        string performedBy, DateTimeOffset now) =>
        stock.Release(orderId, reference, fingerprint, quantity, ReleaseReason.Requested, performedBy, now);
}

/// <summary>Ships reserved stock (SHIP entries), partially or wholly.</summary>
public sealed class FulfillReservation(StockCommitter committer, OrderHeaders headers, TimeProvider clock, AfterStockCommit? afterCommit = null)
    : ChangeReservation(committer, headers, clock, afterCommit)
{
    protected override ChangeKind Kind => ChangeKind.Fulfil;
    protected override bool Lowers => true;

    protected override ProductReservation Apply(ProductStock stock, string orderId, string reference, string fingerprint, long? quantity,
        string performedBy, DateTimeOffset now) =>
        stock.Fulfill(orderId, reference, fingerprint, quantity, performedBy, now);
}

/// <summary>
/// Finishes an order's pending fulfilments and releases (a crash or an error after their intent was recorded): the entry
/// point recovery (<c>RecoverOrders</c>) calls for an order it finds unfinished. Returns how many it found pending.
/// </summary>
public sealed class ResumeReservationChanges(OrderHeaders headers, FulfillReservation fulfil, ReleaseReservation release, OrderOptions options,
    TimeProvider clock) : IOrderSaga
{
    /// <summary>The kind of saga recovery hands to <see cref="ResumeAsync"/>.</summary>
    public const string SagaKind = "change";

    public string Kind => SagaKind;

    /// <summary>
    /// Recovery's call: the entry is due from its oldest change (<see cref="OrderHeaders.EnlistSharedAsync"/>), so one with
    /// nothing pending that was enlisted again within the recovery delay stays: that change of the busy order may be
    /// between its enlisting and its intent.
    /// </summary>
    public Task ResumeAsync(string orderId, CancellationToken ct) =>
        ExecuteAsync(orderId, clock.GetUtcNow() - TimeSpan.FromSeconds(options.RecoverAfterSeconds), ct);

    /// <summary>Finishes the order's pending changes, and delists it when none is pending, however lately it was enlisted.</summary>
    public Task<int> ExecuteAsync(string orderId, CancellationToken ct = default) => ExecuteAsync(orderId, DateTimeOffset.MaxValue, ct);

    private async Task<int> ExecuteAsync(string orderId, DateTimeOffset enlistedBefore, CancellationToken ct)
    {
        var enlisted = await headers.EnlistmentAsync(SagaKind, orderId, ct); // read first: a change enlisted after it keeps its entry
        var open = await headers.OpenIntentsAsync(orderId, ct);
        if (open.Count == 0)
        {
            // Enlisted, then died before the intent, or finished by another driver.
            if (enlisted is { } e && e.Entry.LastEnlisted <= enlistedBefore)
                await headers.DelistAsync(SagaKind, orderId, e.ETag, ct);
            return 0;
        }
        var order = await headers.GetAsync(orderId, ct);
        foreach (var intent in open)
        {
            try
            {
                await (intent.Kind == ChangeKind.Fulfil ? (ChangeReservation)fulfil : release).FinishAsync(order, intent, new Dictionary<string, LoadedStock>(), ct);
            }
            catch (DomainException e) when (e is not ConcurrencyExhaustedException)
            {
                // A change of one product refused by its step: abandoned with nothing applied, as its caller was told.
            }
        }
        return open.Count;
    }
}
