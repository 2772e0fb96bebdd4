namespace Inventory.Application;

/// <summary>
/// How stock commits meet contention. Within one process, requests for the same product are coalesced (see
/// <see cref="ProductQueues"/>); across processes a commit that lost an optimistic-concurrency race is retried with full jitter.
/// </summary>
public sealed record ConcurrencyOptions
{
    public int MaxAttempts { get; init; } = 60;
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromMilliseconds(2);
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Requests for one product that arrive while a commit of it is in flight are decided together and committed as one.</summary>
    public bool Coalesce { get; init; } = true;

    /// <summary>
    /// Under load only: how long after its oldest request a batch may wait for more to join, when it is not full.
    /// A lone request never waits; a request already queued that long behind an in-flight commit waits no more.
    /// </summary>
    public TimeSpan CoalescingWindow { get; init; } = TimeSpan.FromMilliseconds(2);

    /// <summary>
    /// Across instances: when a product's batch loses a race to another instance, that product's gathering window grows
    /// (to at least the time the lost attempt took, doubling, up to <see cref="MaxCoalescingWindow"/>), the retry waits about
    /// one window instead of a short jitter, and requests that queued meanwhile join the retried batch. A commit won at the
    /// first attempt shrinks the window back towards <see cref="CoalescingWindow"/>. Off: the fixed window and backoff.
    /// </summary>
    public bool AdaptiveWindow { get; init; } = true;

    /// <summary>The most the adaptive window grows to under contention from other instances.</summary>
    public TimeSpan MaxCoalescingWindow { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// How long an order's claim waits for the claim commit ahead of it in its bucket before it goes alone: a bound on a
    /// stalled store request (one that hangs until its timeout) holding up the claims behind it, well above a commit's
    /// time under load. Not a setting (tests shorten it).
    /// </summary>
    internal TimeSpan ClaimMaxWait { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Most requests decided in one batch; the store's limits may split a batch sooner.</summary>
    public int MaxBatchSize { get; init; } = 100;

    public TimeSpan DelayBefore(int attempt)
    {
        var cap = Math.Min(MaxDelay.TotalMilliseconds, BaseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempt, 16)));
        return TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * cap);
    }
}
