using Inventory.Application.Catalog;
using Inventory.Domain;

namespace Inventory.Application.Stock;

public sealed record AdjustCommand(string ProductId, string LocationId, long? Delta, long? CountedQuantity, string ReasonCode,
    string AdjustmentId, bool Force = false, string PerformedBy = "api");

public sealed record TransferCommand(string ProductId, string FromLocationId, string ToLocationId, long Quantity, string TransferId,
    string PerformedBy = "api");

public sealed record ReceiveCommand(string ProductId, string LocationId, long Quantity, string ReceiptId, string ReferenceType = "Receipt",
    string PerformedBy = "api");

/// <summary>
/// What location loads follow after a decision on a product: the ledger entries it wrote, each with its location's
/// warehouse, and the product's balances right after them, at ledger sequence <see cref="Sequence"/>. A replay wrote no
/// entry but still carries the balances, so a retry after a crash brings the loads up to date.
/// </summary>
public sealed record StockMoved(Product Product, IReadOnlyList<(string WarehouseId, LedgerEntry Entry)> Entries, long Sequence,
    IReadOnlyList<StockBalance> Balances)
{
    /// <summary>The entries <paramref name="decide"/> adds to <paramref name="stock"/> (others of a coalesced batch excluded).</summary>
    public static (T Result, StockMoved Moved) Capture<T>(ProductStock stock, Func<ProductStock, T> decide)
    {
        var before = stock.NewEntries.Count;
        var result = decide(stock);
        var entries = stock.NewEntries.Skip(before).Select(e => (stock.Balance(e.LocationId)!.WarehouseId, e)).ToArray();
        return (result, new StockMoved(stock.Product, entries, stock.LedgerSequence, stock.Balances.ToArray()));
    }

    /// <summary>The product as loaded, nothing decided: what a step found applied before has to catch the loads up to.</summary>
    public static StockMoved Found(ProductStock stock) => Capture(stock, _ => 0).Moved;

    /// <summary>The product's availability after it: what the reorder trigger looks at.</summary>
    public StockLevel Level => new(Product, Balances.Sum(b => Math.Max(0, b.QuantityAvailable)));

    /// <summary>False when it wrote entries and none changed on-hand (a reservation or release): the loads cannot have moved.</summary>
    public bool ConcernsLoads => Entries.Count == 0 || Entries.Any(e => e.Entry.OnHandDelta != 0);
}

/// <summary>The outcome of a stock movement: the balances it left, and whether this call applied it or found it applied before.</summary>
public sealed record MovementResult(OperationRecord Operation, bool Replayed);

/// <summary>Adjusts on-hand at a location by a delta or to a counted quantity (ADJUST), with a reason code.</summary>
/// <remarks>After the commit, or a replay, <paramref name="afterCommit"/> runs with the movement (a drop unless the delta is positive).</remarks>
public sealed class AdjustStock(StockCommitter committer, CatalogQueries catalog, TimeProvider clock, AfterStockCommit? afterCommit = null)
{
    /// <summary>Binds each reference to one product (requests from outside); null where references are per product by construction (counts).</summary>
    public ReferenceClaims? References { get; init; }

    /// <summary>Where a product in escrow's buckets give back their free units before its stock is lowered (null: no escrow).</summary>
    public Escrow.EscrowBuckets? Escrow { get; init; }

    /// <summary>Brings the balances written to their locations' types if a retype raced the movement (null: not checked).</summary>
    public Catalog.BalanceTypeCopies? Types { get; init; }

    public async Task<MovementResult> ExecuteAsync(AdjustCommand c, CancellationToken ct = default)
    {
        new Guard().Id("productId", c.ProductId).Id("locationId", c.LocationId).Id("adjustmentId", c.AdjustmentId)
            .Id("reasonCode", c.ReasonCode).Text("performedBy", c.PerformedBy, Limits.MaxIdLength)
            .That(c.Delta is null != c.CountedQuantity is null, "delta", "give exactly one of delta and countedQuantity")
            .That(c.Delta is null || (c.Delta != 0 && c.Delta >= -Limits.MaxQuantity && c.Delta <= Limits.MaxQuantity), "delta", $"must be non-zero and at most {Limits.MaxQuantity} in size")
            .That(c.CountedQuantity is null or (>= 0 and <= Limits.MaxQuantity), "countedQuantity", $"must be between 0 and {Limits.MaxQuantity}")
            .ThrowIfAny();
        var location = await catalog.GetLocationAsync(c.LocationId, ct);
        // A count or a decrease of a product in escrow: its buckets' free units come back first, so what is lowered is
        // decided on the product's whole stock. Left in a bucket, units a forced count took kept selling there (oversold).
        // A grant landing between the two still takes some (narrow; the audit reports the shortage).
        if (Escrow is not null && c.Delta is not > 0 && await committer.Partitions.BucketsAsync(c.ProductId, ct) is { Count: > 0 } buckets
            && !await Movement.AnsweredWithoutTheBucketsAsync(committer, References, c.ProductId, OperationKind.Adjust, c.AdjustmentId, ct)
            && !await RefusedEvenWithTheBucketsAsync(c, ct))
            await Escrow.GatherAsync(c.ProductId, buckets, ct, fresh: true);
        var request = new AdjustRequest(c.AdjustmentId, c.LocationId, c.Delta, c.CountedQuantity, c.ReasonCode, c.Force, c.PerformedBy);
        var result = await Movement.RunAsync(committer, c.ProductId, OperationKind.Adjust, c.AdjustmentId,
            s => s.Adjust(request, location, clock.GetUtcNow()), afterCommit, lowers: c.Delta is not > 0, ct, References);
        if (Types is not null) await Types.FollowAsync(c.ProductId, result.Operation.BalancesAfter, ct);
        return result;
    }

    /// <summary>
    /// Whether the adjustment would be refused (stock would go negative) even with every bucket's free units back, as the
    /// stock view counts them: then nothing is gathered, and the product's own decision refuses it with nothing written.
    /// </summary>
    private async Task<bool> RefusedEvenWithTheBucketsAsync(AdjustCommand c, CancellationToken ct)
    {
        if (await committer.Partitions.StockAsync(c.ProductId, ct, withBuckets: true) is not { } view) return false;
        var balance = view.Balances.FirstOrDefault(b => b.LocationId == c.LocationId);
        var onHand = balance?.QuantityOnHand ?? 0;
        var delta = c.CountedQuantity is { } counted ? counted - onHand : c.Delta!.Value;
        return ProductStock.AdjustRefused(onHand, balance?.QuantityReserved ?? 0, delta, c.Force);
    }
}

/// <summary>Moves available stock between two locations: two TRANSFER entries in one transaction.</summary>
/// <remarks>After the commit, or a replay, <paramref name="afterCommit"/> runs with the movement.</remarks>
public sealed class TransferStock(StockCommitter committer, CatalogQueries catalog, TimeProvider clock, AfterStockCommit? afterCommit = null)
{
    /// <summary>Binds each reference to one product (requests from outside); null where references are per product by construction (counts).</summary>
    public ReferenceClaims? References { get; init; }

    /// <summary>Where a product in escrow's buckets give back their free units when the source is short (null: no escrow).</summary>
    public Escrow.EscrowBuckets? Escrow { get; init; }

    /// <summary>Brings the balances written to their locations' types if a retype raced the movement (null: not checked).</summary>
    public Catalog.BalanceTypeCopies? Types { get; init; }

    public async Task<MovementResult> ExecuteAsync(TransferCommand c, CancellationToken ct = default)
    {
        new Guard().Id("productId", c.ProductId).Id("fromLocationId", c.FromLocationId).Id("toLocationId", c.ToLocationId)
            .Id("transferId", c.TransferId).Quantity("quantity", c.Quantity).Text("performedBy", c.PerformedBy, Limits.MaxIdLength)
            .That(c.FromLocationId != c.ToLocationId, "toLocationId", "must differ from fromLocationId")
            .ThrowIfAny();
        var from = await catalog.GetLocationAsync(c.FromLocationId, ct);
        var to = await catalog.GetLocationAsync(c.ToLocationId, ct);
        var request = new TransferRequest(c.TransferId, c.FromLocationId, c.ToLocationId, c.Quantity, c.PerformedBy);
        Task<MovementResult> RunAsync() => Movement.RunAsync(committer, c.ProductId, OperationKind.Transfer, c.TransferId,
            s => s.Transfer(request, to, clock.GetUtcNow(), from), afterCommit, lowers: false, ct, References);
        MovementResult result;
        try { result = await RunAsync(); }
        catch (InsufficientStockException) when (Escrow is not null)
        {
            // Short in the product's partition, where the units granted to its buckets are held for them: the buckets give
            // back their free units, and the transfer is decided again on the product's whole stock (as the stock view shows
            // it). Not when even that would not do (refused with the view's figure: a refused request writes nothing), nor
            // for a transfer recorded meanwhile (a twin: answered as its replay) or a reference bound to another product.
            if (await committer.Partitions.BucketsAsync(c.ProductId, ct) is not { Count: > 0 } buckets) throw;
            var available = (await committer.Partitions.StockAsync(c.ProductId, ct, withBuckets: true))?.Balances
                .FirstOrDefault(b => b.LocationId == c.FromLocationId)?.QuantityAvailable ?? 0;
            // Looked for after the view: a twin landing before the view read (taking what the view shows) is found here, so
            // the view's refusal is answered only on a state the reference's own record has not passed.
            if (await Movement.AnsweredWithoutTheBucketsAsync(committer, References, c.ProductId, OperationKind.Transfer, c.TransferId, ct))
                return await FollowTypesAsync(await RunAsync());
            if (available < c.Quantity)
                throw InsufficientStockException.ForTransfer(c.TransferId, c.FromLocationId, new ShortLine(c.ProductId, c.Quantity, Math.Max(0, available)));
            await Escrow.GatherAsync(c.ProductId, buckets, ct, fresh: true);
            result = await RunAsync();
        }
        return await FollowTypesAsync(result);

        async Task<MovementResult> FollowTypesAsync(MovementResult done)
        {
            if (Types is not null) await Types.FollowAsync(c.ProductId, done.Operation.BalancesAfter, ct);
            return done;
        }
    }
}

/// <summary>Receives units straight into a location (RECEIVE): how stock is first loaded, and what purchase-order receipts build on.</summary>
/// <remarks>After the commit, or a replay, <paramref name="afterCommit"/> runs with the movement.</remarks>
public sealed class ReceiveStock(StockCommitter committer, CatalogQueries catalog, TimeProvider clock, AfterStockCommit? afterCommit = null)
{
    /// <summary>Binds each reference to one product (requests from outside); null where references are per product by construction (counts).</summary>
    public ReferenceClaims? References { get; init; }

    /// <summary>Brings the balances written to their locations' types if a retype raced the movement (null: not checked).</summary>
    public Catalog.BalanceTypeCopies? Types { get; init; }

    public async Task<MovementResult> ExecuteAsync(ReceiveCommand c, CancellationToken ct = default)
    {
        new Guard().Id("productId", c.ProductId).Id("locationId", c.LocationId).Id("receiptId", c.ReceiptId)
            .Quantity("quantity", c.Quantity).Id("referenceType", c.ReferenceType).Text("performedBy", c.PerformedBy, Limits.MaxIdLength)
            .ThrowIfAny();
        var location = await catalog.GetLocationAsync(c.LocationId, ct);
        var request = new ReceiveRequest(c.ReceiptId, c.LocationId, c.Quantity, c.ReferenceType, c.PerformedBy);
        var result = await Movement.RunAsync(committer, c.ProductId, OperationKind.Receive, c.ReceiptId,
            s => s.Receive(request, location, clock.GetUtcNow()), afterCommit, lowers: false, ct, References);
        if (Types is not null) await Types.FollowAsync(c.ProductId, result.Operation.BalancesAfter, ct);
        return result;
    }
}

internal static class Movement
{
    /// <summary>
    /// Whether the request is answered without its product's stock: a replay or another request under a recorded
    /// reference, or a reference bound to another product (refused). Such a request must not gather escrow buckets first.
    /// </summary>
    public static async Task<bool> AnsweredWithoutTheBucketsAsync(StockCommitter committer, ReferenceClaims? claims, string productId,
        OperationKind kind, string reference, CancellationToken ct) =>
        (await committer.LoadAsync(productId, StockRead.ForOperation(kind, reference), ct)).Stock.Operation(ProductStock.OperationKey(kind, reference)) is not null
        || (claims is not null && await claims.IsBoundElsewhereAsync(kind, reference, productId, ct));

    /// <summary>
    /// Loads the product (its record of this reference included); unless the reference is already recorded there (a
    /// replay), binds it to the product across products (<paramref name="claims"/>, null for internal callers whose
    /// references are per product by construction); then commits, and runs <paramref name="afterCommit"/> with what it
    /// moved (<paramref name="lowers"/>: as a drop), on a replay too: it may follow a crash before the post-commit step.
    /// </summary>
    public static async Task<MovementResult> RunAsync(StockCommitter committer, string productId, OperationKind kind, string reference,
        Func<ProductStock, OperationRecord> decide, AfterStockCommit? afterCommit, bool lowers, CancellationToken ct,
        ReferenceClaims? claims = null)
    {
        var read = StockRead.ForOperation(kind, reference);
        LoadedStock? loaded = null;
        var bound = false;
        if (claims is not null)
        {
            loaded = await committer.LoadAsync(productId, read, ct);
            var stock = loaded.Stock;
            if (stock.Operation(ProductStock.OperationKey(kind, reference)) is null)
            {
                if (!committer.Queues.IsBusy(productId))
                {
                    // Nothing of this product in flight here: the commit decides on this state, so decide now, and a
                    // refusal is answered before the claim is written (a refused request writes nothing). Behind other
                    // requests the state read may be passed by theirs: the claim comes first and the queue decides in order.
                    var checkpoint = stock.Save();
                    DomainException? refusal = null;
                    try { decide(stock); }
                    catch (DomainException e) when (e is not ConcurrencyExhaustedException) { refusal = e; }
                    finally { stock.Restore(checkpoint); }
                    if (refusal is not null)
                    {
                        // Answered only while the reference is still recorded nowhere on the product: a twin of the request
                        // (the same request delivered again, on its way when this one read) that landed since is this
                        // request's answer, its replay, below. Nothing else keeps the twin out of the state read: a refusal
                        // writes nothing, so no condition of a commit finds that state passed.
                        loaded = await committer.LoadAsync(productId, read, ct);
                        if (loaded.Stock.Operation(ProductStock.OperationKey(kind, reference)) is null) throw refusal;
                    }
                }
                if (loaded.Stock.Operation(ProductStock.OperationKey(kind, reference)) is null)
                    bound = await claims.ClaimAsync(kind, reference, productId, ct);
            }
        }
        (OperationRecord Record, bool Replayed, StockMoved Moved) outcome;
        try
        {
            outcome = await committer.RunAsync(productId, read, s =>
            {
                var replayed = s.Operation(ProductStock.OperationKey(kind, reference)) is not null;
                var (record, moved) = StockMoved.Capture(s, decide);
                return (record, replayed, moved);
            }, ct, loaded);
        }
        catch (DomainException) when (bound)
        {
            // Refused: unbind, unless another request under the same reference applied it to this product (this one was then
            // refused as a conflict with it): the reference stays bound to what was applied. Looked at again after the
            // unbinding, for one that was committing meanwhile.
            async Task<bool> AppliedAsync() =>
                (await committer.LoadAsync(productId, read, CancellationToken.None)).Stock.Operation(ProductStock.OperationKey(kind, reference)) is not null;
            if (!await AppliedAsync())
            {
                await claims!.ReleaseAsync(kind, reference, productId, CancellationToken.None);
                if (await AppliedAsync())
                {
                    try { await claims.ClaimAsync(kind, reference, productId, CancellationToken.None); }
                    catch (ReferenceConflictException) { } // claimed for another product in between: nothing more to do here
                }
            }
            throw;
        }
        if (afterCommit is not null) await afterCommit.RunAsync(StockChanged.Of(outcome.Moved, lowers), ct);
        return new MovementResult(outcome.Record, outcome.Replayed);
    }
}
