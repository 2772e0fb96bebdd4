using System.Diagnostics;

namespace Inventory.Application;

/// <summary>
/// One product's requests waiting behind its commit in flight, in arrival order. The caller that finds the queue idle
/// starts its drain (<see cref="ProductQueues"/>); later arrivals only add themselves. A drained queue is retired, so an
/// arrival racing its end takes a fresh one instead of waiting in a queue nobody drains.
/// </summary>
internal sealed class ProductQueue
{
    private readonly Lock gate = new();
    private readonly List<CoalescedRequest> pending = [];
    private bool draining;
    private bool retired;

    public int Count { get { lock (gate) return pending.Count; } }

    /// <summary>Adds the request: null when the queue is retired (take a fresh one), true when the caller must start draining it.</summary>
    public bool? Add(CoalescedRequest request)
    {
        lock (gate)
        {
            if (retired) return null;
            pending.Add(request);
            if (draining) return false;
            return draining = true;
        }
    }

    /// <summary>The next batch, at most <paramref name="max"/>, requests whose caller left dropped; empty (and the queue retired) when none is left.</summary>
    public List<CoalescedRequest> Take(int max)
    {
        lock (gate)
        {
            pending.RemoveAll(r => r.IsDone);
            if (pending.Count == 0)
            {
                retired = true;
                return [];
            }
            var count = Math.Min(pending.Count, Math.Max(1, max));
            var batch = pending.GetRange(0, count);
            pending.RemoveRange(0, count);
            return batch;
        }
    }

    /// <summary>Requests of a batch that did not fit in one commit go first into the next, order kept.</summary>
    public void PutBack(IReadOnlyList<CoalescedRequest> requests)
    {
        if (requests.Count == 0) return;
        lock (gate) pending.InsertRange(0, requests);
    }

    /// <summary>Moves the requests queued behind <paramref name="batch"/> into it (they arrived after its own), up to <paramref name="max"/> in all.</summary>
    public void MoveInto(List<CoalescedRequest> batch, int max)
    {
        lock (gate)
        {
            pending.RemoveAll(r => r.IsDone);
            var count = Math.Min(pending.Count, Math.Max(0, max - batch.Count));
            batch.AddRange(pending.GetRange(0, count));
            pending.RemoveRange(0, count);
        }
    }

    /// <summary>How long the oldest request has waited; null when there is none or the next batch is full already.</summary>
    public TimeSpan? OldestWaited(int max)
    {
        lock (gate) return pending.Count == 0 || pending.Count >= max ? null : Stopwatch.GetElapsedTime(pending[0].EnqueuedAt);
    }
}
