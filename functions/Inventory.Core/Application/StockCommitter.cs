using Inventory.Domain;
using Inventory.Storage;

namespace Inventory.Application;

/// <summary>Counts of commit attempts, for tests, benchmarks and metrics.</summary>
public sealed class CommitStatistics
{
    private long commits;
    private long conflicts;
    private long committedRequests;
    public long Commits => Interlocked.Read(ref commits);
    public long Conflicts => Interlocked.Read(ref conflicts);
    /// <summary>Requests carried by the commits; above <see cref="Commits"/> when coalescing shares commits.</summary>
    public long CommittedRequests => Interlocked.Read(ref committedRequests);

    internal void Committed(int requests = 1)
    {
        Interlocked.Increment(ref commits);
        Interlocked.Add(ref committedRequests, requests);
    }

    internal void Conflicted() => Interlocked.Increment(ref conflicts);
}

/// <summary>
/// The commit protocol: read the partition with ETags, decide with pure domain code, commit one conditioned transaction;
/// on a lost race reload and decide again, a bounded number of times with jittered backoff. A decision that changes
/// nothing (a replay, a refusal) commits nothing. With <see cref="ConcurrencyOptions.Coalesce"/>, concurrent requests
/// for one product share reads and commits (<see cref="ProductQueues"/>); the decide functions must therefore be pure,
/// re-runnable functions of the state they are given.
/// </summary>
public sealed class StockCommitter(ProductPartitions partitions, ConcurrencyOptions options, CommitStatistics statistics)
{
    private readonly ProductQueues queues = new(partitions, options, statistics);

    public ProductPartitions Partitions => partitions;
    public CommitStatistics Statistics => statistics;
    public ProductQueues Queues => queues;

    public async Task<LoadedStock> LoadAsync(string productId, StockRead read, CancellationToken ct) =>
        await (options.Coalesce ? queues.LoadAsync(productId, read, ct) : partitions.LoadAsync(productId, read, ct))
        ?? throw new ProductNotFoundException(productId);

    public Task<T> RunAsync<T>(string productId, StockRead read, Func<ProductStock, T> decide, CancellationToken ct,
        LoadedStock? alreadyLoaded = null) =>
        options.Coalesce ? queues.RunAsync(productId, read, decide, ct, alreadyLoaded) : RunAloneAsync(productId, read, decide, alreadyLoaded, ct);

    private async Task<T> RunAloneAsync<T>(string productId, StockRead read, Func<ProductStock, T> decide, LoadedStock? alreadyLoaded,
        CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var loaded = alreadyLoaded ?? await LoadAsync(productId, read, ct);
            alreadyLoaded = null;
            var result = decide(loaded.Stock);
            if (!loaded.Stock.HasChanges) return result;
            try
            {
                await partitions.CommitAsync(loaded, ct);
                statistics.Committed();
                return result;
            }
            catch (CommitConflictException)
            {
                statistics.Conflicted();
                if (attempt >= options.MaxAttempts) throw new ConcurrencyExhaustedException(productId, attempt);
                await Task.Delay(options.DelayBefore(attempt), ct);
            }
        }
    }
}
