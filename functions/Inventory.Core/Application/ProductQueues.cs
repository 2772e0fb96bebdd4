using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using Inventory.Domain;
using Inventory.Storage;

namespace Inventory.Application;

/// <summary>
/// Coalesces the stock commits of one process, product by product. A request for a product with no commit in flight
/// goes straight through alone. Requests that arrive while one is in flight queue up and become the next batch: one
/// read of the partition with the union of what they need, each decision applied in arrival order to the same state
/// (a refused one rolled back), one commit as large as the store allows, and each caller its own outcome. A batch that
/// loses a race with another process is reloaded and decided again whole, so outcomes are always those of running the
/// requests one by one in arrival order.
/// </summary>
public sealed class ProductQueues(ProductPartitions partitions, ConcurrencyOptions options, CommitStatistics statistics)
{
    private readonly OptimisticConcurrency concurrency = new(options, statistics);

    /// <summary>Per product, how long batches gather: wider while other instances win its races (<see cref="ConcurrencyOptions.AdaptiveWindow"/>).</summary>
    public ProductContention Contention { get; } = new(options);

    internal sealed class Queue
    {
        public readonly List<CoalescedRequest> Pending = [];
        /// <summary>A drain loop owns the queue; arrivals only add themselves.</summary>
        public bool Draining;
        /// <summary>Its drain loop left it empty and removed it from the map; arrivals must take a fresh one.</summary>
        public bool Retired;
    }

    private readonly ConcurrentDictionary<string, Queue> queues = new(StringComparer.Ordinal);
    private readonly CommitSize size = new();
    // When each product was last committed here, and when each state handed out by LoadAsync was read: a state read
    // before the product's last commit is known stale, so a lone request reloads instead of losing a certain race.
    private readonly ConcurrentDictionary<string, long> lastCommits = new(StringComparer.Ordinal);
    private readonly ConditionalWeakTable<LoadedStock, StrongBox<long>> readAt = [];
    private long commitsSincePrune;

    /// <summary>Reads a product's state for a use case that decides on it later through <see cref="RunAsync"/>.</summary>
    public async Task<LoadedStock?> LoadAsync(string productId, StockRead read, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        var loaded = await partitions.LoadAsync(productId, read, ct);
        if (loaded is not null) readAt.AddOrUpdate(loaded, new StrongBox<long>(started));
        return loaded;
    }

    private bool IsFresh(string productId, LoadedStock loaded) =>
        !lastCommits.TryGetValue(productId, out var committed) || (readAt.TryGetValue(loaded, out var read) && read.Value > committed);

    private void NoteCommit(string productId)
    {
        var now = Stopwatch.GetTimestamp();
        lastCommits[productId] = now;
        if (Interlocked.Increment(ref commitsSincePrune) % 4096 != 0) return;
        // Only an optimisation depends on this map: forgetting old entries merely risks one conflict and a retry.
        foreach (var (id, at) in lastCommits)
            if (Stopwatch.GetElapsedTime(at, now) > TimeSpan.FromSeconds(30)) lastCommits.TryRemove(KeyValuePair.Create(id, at));
    }

    /// <summary>Requests waiting for a product behind the commit in flight (for metrics and tests).</summary>
    public int Waiting(string productId)
    {
        if (!queues.TryGetValue(productId, out var queue)) return 0;
        lock (queue) return queue.Pending.Count;
    }

    /// <summary>True while requests of the product are queued or being committed on this instance (a state read now may be passed by them).</summary>
    public bool IsBusy(string productId) => queues.ContainsKey(productId);

    public async Task<T> RunAsync<T>(string productId, StockRead read, Func<ProductStock, T> decide, CancellationToken ct,
        LoadedStock? alreadyLoaded = null)
    {
        ct.ThrowIfCancellationRequested();
        var request = new CoalescedRequest<T>(read, decide, alreadyLoaded, ct);
        if (Enqueue(productId, request) is { } queue) _ = DrainAsync(productId, queue);
        using var cancellation = ct.CanBeCanceled ? ct.Register(r => ((CoalescedRequest<T>)r!).Cancel(), request) : default;
        return await request.Outcome;
    }

    /// <summary>Runs one request now as a batch of one, queueing behind nobody (coalescing off): the same commit path as a batch.</summary>
    public async Task<T> RunAloneAsync<T>(string productId, StockRead read, Func<ProductStock, T> decide, CancellationToken ct,
        LoadedStock? alreadyLoaded = null)
    {
        ct.ThrowIfCancellationRequested();
        var request = new CoalescedRequest<T>(read, decide, alreadyLoaded, ct);
        await RunBatchAsync(productId, [request]);
        return await request.Outcome;
    }

    /// <summary>Adds the request; returns its queue when nobody drains it yet, so the caller starts draining.</summary>
    private Queue? Enqueue(string productId, CoalescedRequest request)
    {
        while (true)
        {
            var queue = queues.GetOrAdd(productId, _ => new Queue());
            lock (queue)
            {
                if (queue.Retired) continue; // its drainer just left; a fresh queue replaces it
                queue.Pending.Add(request);
                if (queue.Draining) return null;
                queue.Draining = true;
                return queue;
            }
        }
    }

    private async Task DrainAsync(string productId, Queue queue)
    {
        var alone = true;
        while (true)
        {
            if (!alone || (options.AdaptiveWindow && Contention.IsContended(productId))) await GatherAsync(productId, queue);
            List<CoalescedRequest> batch;
            lock (queue)
            {
                queue.Pending.RemoveAll(r => r.IsDone); // cancelled while waiting
                if (queue.Pending.Count == 0)
                {
                    queue.Retired = true;
                    queues.TryRemove(KeyValuePair.Create(productId, queue));
                    return;
                }
                var count = Math.Min(queue.Pending.Count, Math.Max(1, options.MaxBatchSize));
                batch = queue.Pending.GetRange(0, count);
                queue.Pending.RemoveRange(0, count);
            }
            alone = false;
            IReadOnlyList<CoalescedRequest> deferred;
            try { deferred = await RunBatchAsync(productId, batch, queue); }
            catch (Exception e)
            {
                // Not expected (RunBatchAsync settles every request itself); no caller may be left waiting regardless.
                foreach (var r in batch) r.Fail(batch.Count == 1 ? e : new SharedCommitFailedException(productId, batch.Count, e));
                deferred = [];
            }
            if (deferred.Count > 0) lock (queue) queue.Pending.InsertRange(0, deferred);
        }
    }

    /// <summary>Under load, lets a batch that is not full wait for more requests until its oldest has waited the window.</summary>
    private async Task GatherAsync(string productId, Queue queue)
    {
        var window = options.AdaptiveWindow ? Contention.Window(productId) : options.CoalescingWindow;
        if (window <= TimeSpan.Zero) return;
        TimeSpan wait;
        lock (queue)
        {
            if (queue.Pending.Count == 0 || queue.Pending.Count >= options.MaxBatchSize) return;
            wait = window - Stopwatch.GetElapsedTime(queue.Pending[0].EnqueuedAt);
        }
        if (wait > TimeSpan.Zero) await Task.Delay(wait);
    }

    /// <summary>
    /// Decides and commits one batch under the <see cref="OptimisticConcurrency"/> policy: a lost race reloads and
    /// decides the whole batch again. Settles every request it committed or refused; returns the requests that did not
    /// fit in the store's limits, in order, for the next batch. A lone request is a batch of one: there is no other path.
    /// With the product's <paramref name="queue"/> (coalescing on) and <see cref="ConcurrencyOptions.AdaptiveWindow"/>, a
    /// lost race is noted in <see cref="Contention"/>, the retry waits about one window, and the requests that queued
    /// meanwhile join it: they arrived after the batch's own, so arrival order is kept.
    /// </summary>
    internal async Task<IReadOnlyList<CoalescedRequest>> RunBatchAsync(string productId, List<CoalescedRequest> batch, Queue? queue = null)
    {
        var ct = batch.Count == 1 ? batch[0].CancellationToken : CancellationToken.None;
        var adaptive = queue is not null && options.AdaptiveWindow;
        var limit = batch.Count; // lowered when the store refuses a commit as too large
        List<CoalescedRequest> decided = [];
        try
        {
            return await concurrency.RunAsync(productId, async attempt =>
            {
                // A caller's own token governs a batch of one; others must not be failed by its cancellation, so only join a batch without one.
                if (adaptive && attempt > 1 && !ct.CanBeCanceled && limit == batch.Count) limit = Absorb(queue!, batch);
                while (true)
                {
                    var started = Stopwatch.GetTimestamp();
                    var taking = batch.GetRange(0, limit);
                    LoadedStock loaded;
                    try
                    {
                        using var paying = OperationCost.SharedBy(taking.Select(r => r.Cost));
                        loaded = taking.Count == 1 && taking[0].Preloaded is { } preloaded && IsFresh(productId, preloaded) ? preloaded
                            : await partitions.LoadAsync(productId, Union(taking), ct) ?? throw new ProductNotFoundException(productId);
                    }
                    catch (Exception e)
                    {
                        decided = [];
                        Fail(productId, taking, e);
                        return batch.GetRange(limit, batch.Count - limit);
                    }
                    foreach (var r in taking) r.Preloaded = null;

                    decided = Decide(loaded, taking);
                    var rest = batch.GetRange(decided.Count, batch.Count - decided.Count);
                    if (loaded.Stock.HasChanges)
                    {
                        try
                        {
                            using var paying = OperationCost.SharedBy(decided.Select(r => r.Cost));
                            await partitions.CommitAsync(loaded, ct);
                        }
                        catch (TransactionTooLargeException) when (decided.Count > 1)
                        {
                            limit = decided.Count / 2; // the estimate missed: commit the first half, the rest follows
                            continue;
                        }
                        catch (CommitConflictException) when (adaptive)
                        {
                            Contention.Lost(productId, Stopwatch.GetElapsedTime(started));
                            throw;
                        }
                        if (adaptive && attempt == 1) Contention.Won(productId);
                        NoteCommit(productId);
                        statistics.Committed(decided.Count);
                    }
                    foreach (var r in decided) r.Settle();
                    return rest;
                }
            }, ct, adaptive ? (int _) => Contention.Backoff(productId) : null);
        }
        catch (Exception e)
        {
            // Given up on contention (each its own ConcurrencyExhausted), or the shared commit failed: nothing was written.
            if (e is ConcurrencyExhaustedException) foreach (var r in decided) r.Fail(e);
            else Fail(productId, decided, e);
            return batch.GetRange(decided.Count, batch.Count - decided.Count);
        }
    }

    /// <summary>Moves the requests queued behind a batch that lost its race into it, up to the batch size; returns its new size.</summary>
    private int Absorb(Queue queue, List<CoalescedRequest> batch)
    {
        lock (queue)
        {
            queue.Pending.RemoveAll(r => r.IsDone);
            var count = Math.Min(queue.Pending.Count, Math.Max(0, options.MaxBatchSize - batch.Count));
            batch.AddRange(queue.Pending.GetRange(0, count));
            queue.Pending.RemoveRange(0, count);
        }
        return batch.Count;
    }

    /// <summary>Applies the requests in order, each from a checkpoint; stops before the first that would not fit in one commit.</summary>
    private List<CoalescedRequest> Decide(LoadedStock loaded, List<CoalescedRequest> requests)
    {
        var stock = loaded.Stock;
        var decided = new List<CoalescedRequest>(requests.Count);
        foreach (var request in requests)
        {
            var checkpoint = stock.Save();
            request.Decide(stock);
            if (request.Refusal is not null) stock.Restore(checkpoint);
            else if (decided.Count > 0 && !CommitSize.Fits(size.Of(loaded), partitions.Store.Limits))
            {
                stock.Restore(checkpoint);
                break;
            }
            decided.Add(request);
        }
        return decided;
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
        requests.SelectMany(r => r.Read.ChangeKeys ?? []).Distinct(StringComparer.Ordinal).ToArray());
}
