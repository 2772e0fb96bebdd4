using Inventory.Storage;

namespace Inventory.Application.Orders;

/// <summary>
/// Group commit of must-not-exist creates into a few shared partitions (order headers in their claim buckets). A create
/// whose partition has no commit in flight on this instance goes at once, alone; one that arrives while a commit is in
/// flight waits for it and then goes with every create queued meanwhile, as one transaction. A batch therefore grows
/// only with the load, and a lone create never waits. On Table Storage one transaction of k inserts costs the server
/// about what two single inserts do, which is what lets many concurrent orders share the work of their claims.
/// </summary>
internal sealed class ClaimBatches(IDocumentStore store, string documentType, TimeSpan maxWait)
{
    /// <summary>At most this many creates, and this many bytes of bodies, per transaction (and never past half the store's own limits).</summary>
    internal const int MaxPerCommit = 32;
    internal const int MaxBytesPerCommit = 256 * 1024;

    private readonly Dictionary<string, Queue> queues = new(StringComparer.Ordinal);
    private readonly Lock gate = new();

    private sealed class Queue
    {
        public readonly List<Create> Waiting = [];
        public bool Draining;
    }

    private sealed class Create(string id, string body)
    {
        public string Id { get; } = id;
        public string Body { get; } = body;
        /// <summary>The caller's ambient context (its trace) and the operation its store calls are billed to.</summary>
        public ExecutionContext? Context { get; } = ExecutionContext.Capture();
        public OperationCost? Cost { get; } = OperationCost.Active;
        public TaskCompletionSource<bool> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        /// <summary>In a commit: from then on the caller's cancellation no longer applies (the write may land).</summary>
        public bool Taken { get; set; }
    }

    /// <summary>Creates the document unless one with its id exists: whether this call created it.</summary>
    public async Task<bool> CreateOnceAsync(string partition, string id, string body, CancellationToken ct)
    {
        var create = new Create(id, body);
        bool drain;
        lock (gate)
        {
            if (!queues.TryGetValue(partition, out var queue)) queues[partition] = queue = new Queue();
            queue.Waiting.Add(create);
            drain = !queue.Draining;
            queue.Draining = true;
        }
        if (drain) AmbientContext.StartDetached(() => _ = DrainAsync(partition)); // it goes on committing for others
        using var leave = ct.Register(() =>
        {
            lock (gate) if (!create.Taken) create.Done.TrySetCanceled(ct);
        });
        if (!drain)
        {
            try { return await create.Done.Task.WaitAsync(maxWait, CancellationToken.None).ConfigureAwait(false); }
            catch (TimeoutException) { } // the commit ahead of it stalls: it goes alone rather than wait out the store's timeout
            if (TakeAlone(partition, create))
            {
                try { create.Done.TrySetResult(await CreateOnceAsync(partition, [create]).ConfigureAwait(false)); }
                catch (Exception e) { create.Done.TrySetException(e); }
            }
        }
        return await create.Done.Task.ConfigureAwait(false);
    }

    /// <summary>Takes a create out of its queue to go alone: false when a commit took it meanwhile, or its caller left.</summary>
    private bool TakeAlone(string partition, Create create)
    {
        lock (gate)
        {
            if (create.Done.Task.IsCompleted || !queues.TryGetValue(partition, out var queue) || !queue.Waiting.Remove(create)) return false;
            create.Taken = true;
            return true;
        }
    }

    private async Task DrainAsync(string partition)
    {
        while (Take(partition) is { Count: > 0 } batch) await CommitAsync(partition, batch).ConfigureAwait(false);
    }

    private List<Create> Take(string partition)
    {
        lock (gate)
        {
            var queue = queues[partition];
            queue.Waiting.RemoveAll(c => c.Done.Task.IsCompleted); // callers that left before their turn
            var batch = new List<Create>();
            var bytes = 0;
            foreach (var create in queue.Waiting)
            {
                if (batch.Count == Math.Min(MaxPerCommit, store.Limits.MaxWritesPerCommit)
                    || (batch.Count > 0 && bytes + create.Body.Length > Math.Min(MaxBytesPerCommit, store.Limits.MaxCommitBytes / 2))) break;
                if (batch.Any(c => c.Id == create.Id)) break; // the same id twice in one transaction would fail it: the next one
                batch.Add(create);
                bytes += create.Body.Length;
            }
            queue.Waiting.RemoveRange(0, batch.Count);
            foreach (var create in batch) create.Taken = true;
            if (batch.Count == 0) queues.Remove(partition); // retired: an arrival from now on starts a fresh drain
            return batch;
        }
    }

    private async Task CommitAsync(string partition, List<Create> batch)
    {
        try
        {
            if (await CreateOnceAsync(partition, batch).ConfigureAwait(false))
            {
                foreach (var create in batch) create.Done.TrySetResult(true);
                return;
            }
        }
        catch (Exception e)
        {
            foreach (var create in batch) create.Done.TrySetException(e);
            return;
        }
        if (batch.Count == 1)
        {
            batch[0].Done.TrySetResult(false);
            return;
        }
        // One of them exists (a retried order), or the transaction landed and its answer was lost (the store's client sent
        // it again and heard "already exists"): each goes again alone, so one order's retry never refuses another's claim,
        // and each caller tells its own header by its nonce (OrderHeaders.ClaimAsync).
        await Task.WhenAll(batch.Select(async create =>
        {
            try { create.Done.TrySetResult(await CreateOnceAsync(partition, [create]).ConfigureAwait(false)); }
            catch (Exception e) { create.Done.TrySetException(e); }
        })).ConfigureAwait(false);
    }

    /// <summary>
    /// One transaction of the creates: a lone create's in its caller's ambient context, a shared one in none (the
    /// drain's); its cost is split among the callers' operations either way, as a product's batch is.
    /// </summary>
    private Task<bool> CreateOnceAsync(string partition, List<Create> creates) =>
        AmbientContext.StartIn(creates.Count == 1 ? creates[0].Context : null, async () =>
        {
            using var paying = OperationCost.SharedBy(creates.Select(c => c.Cost));
            return await OptimisticConcurrency.CreateOnceAsync(store, Collection.Orders, partition,
                creates.Select(c => (DocumentWrite)new DocumentWrite.Create(c.Id, c.Body) { Type = documentType }).ToArray(), CancellationToken.None);
        });
}
