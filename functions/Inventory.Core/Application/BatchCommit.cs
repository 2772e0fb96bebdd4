using System.Diagnostics;
using Inventory.Domain;
using Inventory.Storage;

namespace Inventory.Application;

/// <summary>
/// Commits one batch of a product's requests: one read of the partition with the union of what they need, each decision
/// applied in arrival order to that one state (a refused one rolled back), one commit as large as the store allows,
/// and each caller its own outcome. A lost race reloads and decides the whole batch again under the
/// <see cref="OptimisticConcurrency"/> policy, so outcomes are always those of running the requests one by one in
/// arrival order. A lone request is a batch of one: the service has no other stock commit path.
/// </summary>
internal sealed class BatchCommit(ProductPartitions partitions, ConcurrencyOptions options, CommitStatistics statistics,
    ProductContention contention, StockFreshness freshness)
{
    // Lost races are counted here, with the commit, in the context of the requests that made it (not in the drain's).
    private readonly OptimisticConcurrency concurrency = new(options);
    private readonly CommitSize size = new();

    /// <summary>
    /// Settles every request of <paramref name="batch"/> it committed, refused or dropped (its caller cancelled before its
    /// decision); returns those that did not fit in the store's limits, in order, for the next batch. With the product's
    /// <paramref name="queue"/> (coalescing on) and <see cref="ConcurrencyOptions.AdaptiveWindow"/>, a lost race is noted
    /// in <see cref="ProductContention"/>, the retry waits about one window, and the requests that queued meanwhile join
    /// it: they arrived after the batch's own, so arrival order is kept.
    /// </summary>
    public async Task<IReadOnlyList<CoalescedRequest>> RunAsync(string productId, List<CoalescedRequest> batch, ProductQueue? queue = null)
    {
        try { return await DecideAndCommitAsync(productId, batch, queue); }
        catch (Exception e)
        {
            // Not expected (DecideAndCommitAsync settles every request itself); no caller may be left waiting regardless.
            foreach (var r in batch) r.Fail(batch.Count == 1 ? e : new SharedCommitFailedException(productId, batch.Count, e));
            return [];
        }
    }

    private async Task<IReadOnlyList<CoalescedRequest>> DecideAndCommitAsync(string productId, List<CoalescedRequest> batch, ProductQueue? queue)
    {
        // A caller's own token governs a batch of one; others must not be failed by its cancellation.
        var ct = batch.Count == 1 ? batch[0].CancellationToken : CancellationToken.None;
        var adaptive = queue is not null && options.AdaptiveWindow;
        var limit = batch.Count; // lowered when the store refuses a commit as too large
        var lookForAll = false; // set when a reservation not looked for was there after all (a claim's exclusive time was over)
        var decidedAgain = false; // a decision that met a broken invariant is decided once more, from a fresh read
        var attempted = new HashSet<string>(StringComparer.Ordinal); // what commits that failed created: maybe they landed
        var decision = Decision.None;
        try
        {
            return await concurrency.RunAsync(productId, async attempt =>
            {
                // Only a batch without a caller's token takes others in (its cancellation must not fail them).
                if (adaptive && attempt > 1 && !ct.CanBeCanceled && limit == batch.Count)
                {
                    queue!.MoveInto(batch, options.MaxBatchSize);
                    limit = batch.Count;
                }
                while (true)
                {
                    var started = Stopwatch.GetTimestamp();
                    var taking = batch.GetRange(0, limit);
                    decision = Decision.None;
                    LoadedStock loaded;
                    try { loaded = await LoadAsync(productId, taking, lookForAll, attempted, ct); }
                    catch (Exception e)
                    {
                        Fail(productId, taking, e);
                        return batch.GetRange(limit, batch.Count - limit);
                    }
                    foreach (var r in taking) r.Preloaded = null;

                    decision = Decide(loaded, taking);
                    if (decision.Decided.Any(r => r.Refusal is StockInvariantException))
                    {
                        // A read that mixed two commits (Table Storage gives up rereading after a few tears) looks like
                        // this: decide again from a fresh read, as after a lost race, with nothing this instance remembers
                        // of the state taken on trust (nor after, when the caller gets it a second time).
                        partitions.Forget(productId);
                        if (!decidedAgain)
                        {
                            decidedAgain = true;
                            throw new CommitConflictException(ConflictKind.PreconditionFailed, null);
                        }
                    }
                    if (loaded.Stock.HasChanges)
                    {
                        attempted.UnionWith(ProductPartitions.Landmarks(loaded));
                        try { await CommitOnceAsync(loaded, decision.Decided, ct); }
                        catch (TransactionTooLargeException) when (decision.Decided.Count > 1)
                        {
                            limit = decision.Taken / 2; // the estimate missed: commit the first half, the rest follows
                            continue;
                        }
                        catch (CommitConflictException e) when (e.Kind == ConflictKind.AlreadyExists && !lookForAll)
                        {
                            lookForAll = true;
                            if (adaptive) contention.Lost(productId, Stopwatch.GetElapsedTime(started));
                            throw;
                        }
                        catch (CommitConflictException) when (adaptive)
                        {
                            contention.Lost(productId, Stopwatch.GetElapsedTime(started));
                            throw;
                        }
                        if (adaptive && attempt == 1) contention.Won(productId);
                        freshness.Committed(productId);
                    }
                    foreach (var r in decision.Decided) r.Settle();
                    return batch.GetRange(decision.Taken, batch.Count - decision.Taken);
                }
            }, ct, adaptive ? (int n) => contention.Backoff(productId, n) : null);
        }
        catch (Exception e)
        {
            // Given up on contention (each its own ConcurrencyExhausted), or the shared commit failed: nothing was written.
            // Each caller its own exception: one object rethrown to several awaiters shares its stack trace and Data.
            if (e is ConcurrencyExhaustedException c)
                foreach (var r in decision.Decided) r.Fail(decision.Decided.Count == 1 ? e : new ConcurrencyExhaustedException(c.Partition, c.Attempts));
            else if (decision.Taken > 0) Fail(productId, decision.Decided, e);
            else
            {
                // Failed before any decision (outside one request's own): put back, the batch would be drained again and
                // fail again for ever. Its requests are failed instead, as a failed read fails them.
                var taken = Math.Min(limit, batch.Count);
                Fail(productId, batch.GetRange(0, taken), e); // settling is once: one settled already keeps its outcome
                return batch.GetRange(taken, batch.Count - taken);
            }
            return batch.GetRange(decision.Taken, batch.Count - decision.Taken);
        }
    }

    /// <summary>The state to decide on: what a lone caller read already when nothing committed since, else one read for all.</summary>
    /// <paramref name="attempted"/>: what this batch's commits that failed created, which may have landed all the same
    /// (<see cref="StockRead.Attempted"/>).
    private Task<LoadedStock> LoadAsync(string productId, List<CoalescedRequest> taking, bool lookForAll, IReadOnlyCollection<string> attempted,
        CancellationToken ct) =>
        taking.Count == 1 && taking[0].Preloaded is { } preloaded && freshness.IsFresh(productId, preloaded) ? Task.FromResult(preloaded.WithPacks(taking[0].Read))
            : InContextOf(taking, async () => await partitions.LoadAsync(productId,
                lookForAll ? Union(taking).LookingForAll : Union(taking) with { Attempted = attempted.ToArray() }, ct) ?? throw new ProductNotFoundException(productId));

    /// <summary>The one commit of the decisions; counted (metrics included) where the store call was made.</summary>
    private Task<bool> CommitOnceAsync(LoadedStock loaded, List<CoalescedRequest> decided, CancellationToken ct) =>
        InContextOf(decided, async () =>
        {
            try { await partitions.CommitAsync(loaded, ct); }
            catch (CommitConflictException)
            {
                statistics.Conflicted();
                throw;
            }
            statistics.Committed(decided.Count);
            return true;
        });

    /// <summary>
    /// Starts a store call made for <paramref name="requests"/>: a lone request's in its caller's ambient context (its
    /// trace and scopes), a shared one in none (the drain's); its cost is split among the requests' operations either way.
    /// </summary>
    private static Task<T> InContextOf<T>(List<CoalescedRequest> requests, Func<Task<T>> call) =>
        AmbientContext.StartIn(requests.Count == 1 ? requests[0].Context : null, async () =>
        {
            using var paying = OperationCost.SharedBy(requests.Select(r => r.Cost));
            return await call();
        });

    /// <summary>What a pass over a batch decided: the requests decided (refused ones included), and how many of the batch it went through.</summary>
    private readonly record struct Decision(List<CoalescedRequest> Decided, int Taken)
    {
        public static Decision None => new([], 0);
    }

    /// <summary>
    /// Applies the requests in order, each from a checkpoint; skips those whose caller cancelled (never applied); stops
    /// before the first that would not fit in one commit.
    /// </summary>
    private Decision Decide(LoadedStock loaded, List<CoalescedRequest> requests)
    {
        var stock = loaded.Stock;
        var decided = new List<CoalescedRequest>(requests.Count);
        var taken = 0;
        foreach (var request in requests)
        {
            if (request.IsDone) { taken++; continue; }
            stock.Seal(); // the decision before this one takes its mark, if it needs one, at its place in the sequence
            var checkpoint = stock.Save();
            request.Decide(stock);
            if (request.Refusal is not null) stock.Restore(checkpoint);
            else if (decided.Count > 0 && !CommitSize.Fits(size.Of(loaded), partitions.Limits))
            {
                stock.Restore(checkpoint);
                break;
            }
            decided.Add(request);
            taken++;
        }
        return new Decision(decided, taken);
    }

    /// <summary>A lone request gets the error as it was thrown; requests that shared the commit each get their own.</summary>
    private static void Fail(string productId, List<CoalescedRequest> requests, Exception error)
    {
        foreach (var r in requests)
        {
            r.Fail(requests.Count == 1 ? error
                : error is ProductNotFoundException ? new ProductNotFoundException(productId)
                : new SharedCommitFailedException(productId, requests.Count, error));
        }
    }

    private static StockRead Union(List<CoalescedRequest> requests) => requests.Count == 1 ? requests[0].Read : new StockRead(
        requests.SelectMany(r => r.Read.OrderIds).Distinct(StringComparer.Ordinal).ToArray(),
        requests.SelectMany(r => r.Read.OperationKeys).Distinct(StringComparer.Ordinal).ToArray(),
        requests.Any(r => r.Read.AllReservations),
        requests.SelectMany(r => r.Read.ChangeKeys ?? []).Distinct(StringComparer.Ordinal).ToArray(),
        NewUntil(requests), Packs(requests));

    /// <summary>The pack names the requests give their orders (one order has one, from its header).</summary>
    private static Dictionary<string, string>? Packs(List<CoalescedRequest> requests)
    {
        Dictionary<string, string>? result = null;
        foreach (var (orderId, pack) in requests.SelectMany(r => r.Read.Packs ?? new Dictionary<string, string>()))
            (result ??= new(StringComparer.Ordinal)).TryAdd(orderId, pack);
        return result;
    }

    /// <summary>An order is new to the batch only if every request naming it claimed it, until the earliest of their times.</summary>
    private static Dictionary<string, DateTimeOffset>? NewUntil(List<CoalescedRequest> requests)
    {
        Dictionary<string, DateTimeOffset>? result = null;
        foreach (var named in requests.SelectMany(r => r.Read.OrderIds.Select(o => (Order: o, r.Read.NewUntil))).GroupBy(x => x.Order, StringComparer.Ordinal))
        {
            if (named.All(x => x.NewUntil?.ContainsKey(named.Key) == true))
                (result ??= new(StringComparer.Ordinal))[named.Key] = named.Min(x => x.NewUntil![named.Key]);
        }
        return result;
    }
}
