using Inventory.Domain;
using Inventory.Storage;

namespace Inventory.Application;

/// <summary>Counts of commit attempts, for tests and benchmarks; each is also published on <see cref="InventoryMetrics"/>.</summary>
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
        InventoryMetrics.Commit(requests);
    }

    internal void Conflicted()
    {
        Interlocked.Increment(ref conflicts);
        InventoryMetrics.Conflict();
    }
}

/// <summary>
/// The commit protocol: read the partition with ETags, decide with pure domain code, commit one conditioned transaction;
/// on a lost race reload and decide again (<see cref="OptimisticConcurrency"/>). A decision that changes nothing (a
/// replay, a refusal) commits nothing. Every request goes through <see cref="ProductQueues"/>: with
/// <see cref="ConcurrencyOptions.Coalesce"/> concurrent requests for one product share reads and commits, without it
/// each runs as a batch of one. The decide functions must therefore be pure, re-runnable functions of the state they are given.
/// </summary>
public sealed class StockCommitter(ProductPartitions partitions, ConcurrencyOptions options, CommitStatistics statistics)
{
    private readonly ProductQueues queues = new(partitions, options, statistics);

    public ProductPartitions Partitions => partitions;
    public CommitStatistics Statistics => statistics;
    public ProductQueues Queues => queues;
    /// <summary>Whether concurrent requests for one product share commits (<see cref="ConcurrencyOptions.Coalesce"/>).</summary>
    public bool Coalesces => options.Coalesce;

    public async Task<LoadedStock> LoadAsync(string productId, StockRead read, CancellationToken ct) =>
        await queues.LoadAsync(productId, read, ct) ?? throw new ProductNotFoundException(productId);

    public Task<T> RunAsync<T>(string productId, StockRead read, Func<ProductStock, T> decide, CancellationToken ct,
        LoadedStock? alreadyLoaded = null) =>
        options.Coalesce ? queues.RunAsync(productId, read, decide, ct, alreadyLoaded) : queues.RunAloneAsync(productId, read, decide, ct, alreadyLoaded);
}
