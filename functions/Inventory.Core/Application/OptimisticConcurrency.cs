using Inventory.Domain;
using Inventory.Storage;

namespace Inventory.Application;

/// <summary>
/// The one optimistic-concurrency policy of the service. Every read-modify-write runs as an attempt that reads with
/// ETags, decides, and commits conditioned on what it read; when the store says another writer got there first
/// (<see cref="CommitConflictException"/>) the attempt runs again from a fresh read, after a jittered backoff, up to
/// <see cref="ConcurrencyOptions.MaxAttempts"/> times. Giving up is always <see cref="ConcurrencyExhaustedException"/>
/// (503 with Retry-After): nothing of the last attempt was written. This is the only place, with the coalescing batch
/// committer, that catches a commit conflict.
/// </summary>
public sealed class OptimisticConcurrency(ConcurrencyOptions options, CommitStatistics? statistics = null)
{
    public ConcurrencyOptions Options => options;

    /// <summary>Runs <paramref name="attempt"/> (given its 1-based number) until it commits without a conflict, or gives up on <paramref name="partition"/>.</summary>
    /// <param name="backoff">The wait before attempt n (n ≥ 2) when the caller knows better than the jittered exponential default.</param>
    public async Task<T> RunAsync<T>(string partition, Func<int, Task<T>> attempt, CancellationToken ct, Func<int, TimeSpan>? backoff = null)
    {
        for (var n = 1; ; n++)
        {
            try
            {
                return await attempt(n);
            }
            catch (CommitConflictException)
            {
                statistics?.Conflicted();
                if (n >= options.MaxAttempts) throw new ConcurrencyExhaustedException(partition, n);
            }
            await Task.Delay(backoff?.Invoke(n + 1) ?? options.DelayBefore(n), ct);
        }
    }

    public async Task RunAsync(string partition, Func<int, Task> attempt, CancellationToken ct) =>
        await RunAsync(partition, async n => { await attempt(n); return true; }, ct);

    /// <summary>
    /// A commit of creates that may find its documents there already (an idempotent claim: an order header, a purchase
    /// order, a SKU or location claim): true when this call created them, false when one existed. Other conflicts propagate.
    /// </summary>
    public static async Task<bool> CreateOnceAsync(IDocumentStore store, Collection collection, string partition, IReadOnlyList<DocumentWrite> creates,
        CancellationToken ct)
    {
        try
        {
            await store.CommitAsync(collection, partition, creates, ct);
            return true;
        }
        catch (CommitConflictException e) when (e.Kind == ConflictKind.AlreadyExists)
        {
            return false;
        }
    }

    /// <summary>
    /// Conditioned writes whose loss needs no retry, because the writer that won carries on (a count another run took
    /// over, a state a concurrent retry already moved): whether <paramref name="writes"/> ran to the end without a conflict.
    /// </summary>
    public static async Task<bool> TryAsync(Func<Task> writes)
    {
        try
        {
            await writes();
            return true;
        }
        catch (CommitConflictException)
        {
            return false;
        }
    }

    /// <summary>A conditioned commit whose loss needs no retry (tidying a claim someone else took over): whether it applied.</summary>
    public static async Task<bool> TryCommitAsync(IDocumentStore store, Collection collection, string partition, IReadOnlyList<DocumentWrite> writes,
        CancellationToken ct)
    {
        try
        {
            await store.CommitAsync(collection, partition, writes, ct);
            return true;
        }
        catch (CommitConflictException)
        {
            return false;
        }
    }
}
