using System.Collections.Concurrent;
using System.Diagnostics;
using Inventory.Storage;

namespace Inventory.Bench;

/// <summary>What the simulated Cosmos DB charges and how long it takes.</summary>
public sealed record CosmosModel
{
    /// <summary>Request units per second each logical partition may spend (a physical partition's most; one hot product has one).</summary>
    public double PartitionRuPerSecond { get; init; } = 10_000;
    /// <summary>How far a partition may run ahead of its rate: 0.2 s of budget, so throttling is felt within the second as on Cosmos.</summary>
    public TimeSpan Burst { get; init; } = TimeSpan.FromMilliseconds(200);
    public TimeSpan ReadLatency { get; init; } = TimeSpan.FromMilliseconds(3);
    public TimeSpan CommitLatency { get; init; } = TimeSpan.FromMilliseconds(6);
    /// <summary>Added to every call, uniformly from zero to this.</summary>
    public TimeSpan Jitter { get; init; } = TimeSpan.FromMilliseconds(3);
    /// <summary>The SDK's own retries on 429 (its default is 9), each after the retry-after the service gave, before the store gives up.</summary>
    public int SdkRetries { get; init; } = 9;
}

/// <summary>
/// An in-memory store that behaves like Cosmos DB under load for the simulation: every call takes a latency, costs the
/// request units of <see cref="CosmosCharges"/>, and is refused with 429 and a retry-after when its partition has spent
/// its budget (<see cref="CosmosModel.PartitionRuPerSecond"/>, a token bucket). Like the SDK it retries a 429 after the
/// retry-after up to <see cref="CosmosModel.SdkRetries"/> times, then raises the port's <see cref="StoreThrottledException"/>.
/// Conditions, atomicity and limits are the in-memory store's (the contract suite's).
/// </summary>
public sealed class SimulatedCosmosStore(IDocumentStore inner, CosmosModel model) : IDocumentStore
{
    private sealed class Budget(double tokens, long at)
    {
        public double Tokens = tokens;
        public long At = at;
    }

    private readonly ConcurrentDictionary<(Collection, string), Budget> budgets = new();
    private long throttled;
    private double spent;
    private readonly Lock spentGate = new();

    /// <summary>The inner store's, with Cosmos DB's 20 GB per logical partition (the application lays out order headers for it).</summary>
    public StoreLimits Limits => inner.Limits with { StoreName = "Azure Cosmos DB (simulated)", MaxPartitionBytes = 20L * 1024 * 1024 * 1024 };
    /// <summary>429s answered (each SDK retry counts).</summary>
    public long Throttled => Interlocked.Read(ref throttled);
    /// <summary>429s answered per partition (collection/partition).</summary>
    public ConcurrentDictionary<string, long> ThrottledIn { get; } = new(StringComparer.Ordinal);
    /// <summary>Request units charged so far, in all partitions.</summary>
    public double Spent { get { lock (spentGate) return spent; } }

    public async Task<IReadOnlyList<StoredDocument>> ReadAsync(Collection collection, string partition, IReadOnlyCollection<string> ids,
        IReadOnlyCollection<string> idPrefixes, CancellationToken cancellationToken = default)
    {
        for (var attempt = 0; ; attempt++)
        {
            await LatencyAsync(model.ReadLatency, cancellationToken);
            var found = await inner.ReadAsync(collection, partition, ids, idPrefixes, cancellationToken);
            if (await ChargeAsync(collection, partition, CosmosCharges.Read(ids, idPrefixes, found), attempt, cancellationToken)) return found;
        }
    }

    public async Task CommitAsync(Collection collection, string partition, IReadOnlyList<DocumentWrite> writes, CancellationToken cancellationToken = default)
    {
        var charge = CosmosCharges.Commit(writes);
        for (var attempt = 0; ; attempt++)
        {
            await LatencyAsync(model.CommitLatency, cancellationToken);
            // The budget is checked for the whole batch; a batch refused on a condition gets back what it did not run.
            if (!await ChargeAsync(collection, partition, charge, attempt, cancellationToken)) continue;
            try
            {
                await inner.CommitAsync(collection, partition, writes, cancellationToken);
            }
            catch (CommitConflictException e)
            {
                Refund(collection, partition, charge - CosmosCharges.Refused(writes, e.DocumentId));
                throw;
            }
            return;
        }
    }

    public async Task<DocumentPage> QueryAsync(Collection collection, string partition, string idPrefix, int pageSize, string? continuationToken,
        CancellationToken cancellationToken = default)
    {
        for (var attempt = 0; ; attempt++)
        {
            await LatencyAsync(model.ReadLatency, cancellationToken);
            var page = await inner.QueryAsync(collection, partition, idPrefix, pageSize, continuationToken, cancellationToken);
            if (await ChargeAsync(collection, partition, CosmosCharges.Query(page.Documents), attempt, cancellationToken)) return page;
        }
    }

    public async Task<(IReadOnlyList<string> Partitions, string? ContinuationToken)> ListPartitionsAsync(Collection collection, string documentId,
        int pageSize, string? continuationToken, CancellationToken cancellationToken = default)
    {
        await LatencyAsync(model.ReadLatency, cancellationToken);
        return await inner.ListPartitionsAsync(collection, documentId, pageSize, continuationToken, cancellationToken);
    }

    public async Task<PartitionDocumentPage> QueryAcrossPartitionsAsync(Collection collection, string documentId, int pageSize, string? continuationToken,
        CancellationToken cancellationToken = default)
    {
        await LatencyAsync(model.ReadLatency, cancellationToken);
        return await inner.QueryAcrossPartitionsAsync(collection, documentId, pageSize, continuationToken, cancellationToken);
    }

    public Task PingAsync(CancellationToken cancellationToken = default) => inner.PingAsync(cancellationToken);

    private Task LatencyAsync(TimeSpan latency, CancellationToken ct) =>
        Task.Delay(latency + TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * model.Jitter.TotalMilliseconds), ct);

    private void Refund(Collection collection, string partition, double units)
    {
        if (units <= 0 || !budgets.TryGetValue((collection, partition), out var budget)) return;
        lock (budget) budget.Tokens += units;
        lock (spentGate) spent -= units;
    }

    /// <summary>Spends the charge from the partition's bucket; false after waiting the retry-after of a 429 the SDK retries.</summary>
    private async Task<bool> ChargeAsync(Collection collection, string partition, double charge, int attempt, CancellationToken ct)
    {
        var rate = model.PartitionRuPerSecond;
        var capacity = rate * model.Burst.TotalSeconds;
        var budget = budgets.GetOrAdd((collection, partition), _ => new Budget(capacity, Stopwatch.GetTimestamp()));
        TimeSpan retryAfter;
        lock (budget)
        {
            var now = Stopwatch.GetTimestamp();
            budget.Tokens = Math.Min(capacity, budget.Tokens + Stopwatch.GetElapsedTime(budget.At, now).TotalSeconds * rate);
            budget.At = now;
            if (budget.Tokens >= Math.Min(charge, capacity))
            {
                budget.Tokens -= charge;
                lock (spentGate) spent += charge;
                return true;
            }
            retryAfter = TimeSpan.FromSeconds((Math.Min(charge, capacity) - budget.Tokens) / rate);
        }
        Interlocked.Increment(ref throttled);
        ThrottledIn.AddOrUpdate($"{collection}/{partition}", 1, (_, n) => n + 1);
        if (attempt >= model.SdkRetries)
            throw new StoreThrottledException(Limits.StoreName, $"429 on {collection}/{partition} after {attempt} retries", retryAfter);
        await Task.Delay(retryAfter, ct);
        return false;
    }
}
