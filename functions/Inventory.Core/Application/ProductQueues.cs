using System.Collections.Concurrent;
using System.Diagnostics;
using Inventory.Domain;

namespace Inventory.Application;

/// <summary>
/// Coalesces the stock commits of one process, product by product. A request for a product with no commit in flight
/// goes straight through alone; requests that arrive while one is in flight wait in the product's
/// <see cref="ProductQueue"/> and become its next batch (<see cref="BatchCommit"/>). The caller that finds a queue
/// idle starts its drain, which runs in no caller's ambient context (<see cref="AmbientContext"/>). Under load a batch
/// gathers for the product's window (<see cref="ProductContention"/>); a lone caller may reuse what it read
/// (<see cref="StockFreshness"/>). Each caller can cancel its own request (<see cref="CoalescedRequest{T}.OutcomeAsync"/>).
/// </summary>
public sealed class ProductQueues
{
    private readonly ProductPartitions partitions;
    private readonly ConcurrencyOptions options;
    private readonly ConcurrentDictionary<string, ProductQueue> queues = new(StringComparer.Ordinal);
    private readonly StockFreshness freshness = new();
    private readonly BatchCommit commit;

    public ProductQueues(ProductPartitions partitions, ConcurrencyOptions options, CommitStatistics statistics)
    {
        this.partitions = partitions;
        this.options = options;
        Contention = new(options);
        commit = new BatchCommit(partitions, options, statistics, Contention, freshness);
    }

    /// <summary>Per product, how long batches gather: wider while other instances win its races (<see cref="ConcurrencyOptions.AdaptiveWindow"/>).</summary>
    public ProductContention Contention { get; }

    /// <summary>Reads a product's state for a use case that decides on it later through <see cref="RunAsync"/>.</summary>
    public async Task<LoadedStock?> LoadAsync(string productId, StockRead read, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        var loaded = await partitions.LoadAsync(productId, read, ct);
        if (loaded is not null) freshness.Read(loaded, started);
        return loaded;
    }

    /// <summary>Requests waiting for a product behind the commit in flight (for metrics and tests).</summary>
    public int Waiting(string productId) => queues.TryGetValue(productId, out var queue) ? queue.Count : 0;

    /// <summary>True while requests of the product are queued or being committed on this instance (a state read now may be passed by them).</summary>
    public bool IsBusy(string productId) => queues.ContainsKey(productId);

    public Task<T> RunAsync<T>(string productId, StockRead read, Func<ProductStock, T> decide, CancellationToken ct,
        LoadedStock? alreadyLoaded = null)
    {
        if (ct.IsCancellationRequested) return Task.FromCanceled<T>(ct);
        var request = new CoalescedRequest<T>(read, decide, alreadyLoaded, ct);
        if (Enqueue(productId, request) is { } queue) AmbientContext.StartDetached(() => _ = DrainAsync(productId, queue));
        return request.OutcomeAsync();
    }

    /// <summary>Runs one request now as a batch of one, queueing behind nobody (coalescing off): the same commit path as a batch.</summary>
    public Task<T> RunAloneAsync<T>(string productId, StockRead read, Func<ProductStock, T> decide, CancellationToken ct,
        LoadedStock? alreadyLoaded = null)
    {
        if (ct.IsCancellationRequested) return Task.FromCanceled<T>(ct);
        var request = new CoalescedRequest<T>(read, decide, alreadyLoaded, ct);
        _ = commit.RunAsync(productId, [request]); // settles the request whatever happens; its caller may stop waiting first
        return request.OutcomeAsync();
    }

    /// <summary>Adds the request; returns its queue when nobody drains it yet, so the caller starts draining.</summary>
    private ProductQueue? Enqueue(string productId, CoalescedRequest request)
    {
        while (true)
        {
            var queue = queues.GetOrAdd(productId, _ => new ProductQueue());
            switch (queue.Add(request))
            {
                case true: return queue;
                case false: return null;
                default: queues.TryRemove(KeyValuePair.Create(productId, queue)); continue; // its drainer just left; a fresh queue replaces it
            }
        }
    }

    private async Task DrainAsync(string productId, ProductQueue queue)
    {
        var alone = true;
        while (true)
        {
            if (!alone || (options.AdaptiveWindow && Contention.IsContended(productId))) await GatherAsync(productId, queue);
            var batch = queue.Take(options.MaxBatchSize);
            if (batch.Count == 0)
            {
                queues.TryRemove(KeyValuePair.Create(productId, queue));
                return;
            }
            alone = false;
            queue.PutBack(await commit.RunAsync(productId, batch, queue));
        }
    }

    /// <summary>Under load, lets a batch that is not full wait for more requests until its oldest has waited the window.</summary>
    private async Task GatherAsync(string productId, ProductQueue queue)
    {
        var window = options.AdaptiveWindow ? Contention.Window(productId) : options.CoalescingWindow;
        if (window <= TimeSpan.Zero || queue.OldestWaited(options.MaxBatchSize) is not { } waited) return;
        if (window - waited is var wait && wait > TimeSpan.Zero) await Task.Delay(wait);
    }
}
