using System.Collections.Concurrent;
using System.Diagnostics;

namespace Inventory.Application;

/// <summary>
/// What this instance knows of other instances committing the same product: how long its batches of that product gather
/// before they commit. Coalescing merges requests within one instance only; several instances on one hot product race
/// each other's commits, and each lost race costs a read and a commit that carry nothing. Losing widens the product's
/// window (to at least what the lost attempt took, which is about what the winner's commit takes, doubling, up to
/// <see cref="ConcurrencyOptions.MaxCoalescingWindow"/>): the loser then retries after about one window and with
/// everything that queued meanwhile, so instances take turns with larger batches instead of colliding with small ones.
/// A commit won at the first attempt narrows it again; a product nobody contends is not tracked at all.
/// </summary>
public sealed class ProductContention(ConcurrencyOptions options)
{
    private sealed record Entry(double WindowMs, long UpdatedAt);

    /// <summary>Forgotten when not refreshed for this long: contention that stopped is not remembered.</summary>
    private static readonly TimeSpan Memory = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<string, Entry> products = new(StringComparer.Ordinal);
    private double BaseMs => Math.Max(0, options.CoalescingWindow.TotalMilliseconds);
    private double MaxMs => Math.Max(BaseMs, options.MaxCoalescingWindow.TotalMilliseconds);

    /// <summary>How long a batch of this product may wait for more requests after its oldest arrived.</summary>
    public TimeSpan Window(string productId) => TimeSpan.FromMilliseconds(Current(productId) ?? BaseMs);

    /// <summary>Whether another instance has won a race on this product lately (then even a lone request gathers).</summary>
    public bool IsContended(string productId) => Current(productId) is { } ms && ms > BaseMs;

    /// <summary>
    /// Whether other instances keep winning this product's races: its window has grown to half its most (several losses
    /// in a row). What switches a product into escrow on this instance when <c>Escrow__Automatic</c> is on.
    /// </summary>
    public bool IsHot(string productId) => Current(productId) is { } ms && ms >= MaxMs / 2 && MaxMs > BaseMs;

    /// <summary>
    /// A batch of the product lost its race; <paramref name="attemptTook"/> is how long its read and commit took. A loss
    /// always widens the window, to at least twice the base even when the attempt was quicker than the base window.
    /// </summary>
    public void Lost(string productId, TimeSpan attemptTook)
    {
        var floor = Math.Max(Math.Max(BaseMs * 2, 1), attemptTook.TotalMilliseconds);
        products.AddOrUpdate(productId, _ => new Entry(Math.Min(MaxMs, floor), Stopwatch.GetTimestamp()),
            (_, e) => new Entry(Math.Min(MaxMs, Math.Max(floor, e.WindowMs * 2)), Stopwatch.GetTimestamp()));
    }

    /// <summary>A batch of the product committed at its first attempt: the window narrows by a quarter, back to the base.</summary>
    public void Won(string productId)
    {
        if (!products.TryGetValue(productId, out var e)) return;
        var narrowed = e.WindowMs * 0.75;
        if (narrowed <= BaseMs * 1.01) products.TryRemove(KeyValuePair.Create(productId, e));
        else products.TryUpdate(productId, new Entry(narrowed, Stopwatch.GetTimestamp()), e);
    }

    /// <summary>
    /// The wait before <paramref name="attempt"/> (2, 3, ...) of a lost batch: about one window (½ to 1½ of it, so losers
    /// spread out), half as long from the third attempt on. A winner's next batch goes at once, so without it a batch that
    /// lost once tends to keep losing while another instance wins (seen: one host's batch losing for 9 s); one that lost
    /// twice now goes before those that lost once. Retrying at once instead floods the store with losing attempts.
    /// </summary>
    public TimeSpan Backoff(string productId, int attempt) =>
        TimeSpan.FromMilliseconds(Window(productId).TotalMilliseconds * (0.5 + Random.Shared.NextDouble()) / (attempt > 2 ? 2 : 1));

    private double? Current(string productId)
    {
        if (!products.TryGetValue(productId, out var e)) return null;
        if (Stopwatch.GetElapsedTime(e.UpdatedAt) <= Memory) return e.WindowMs;
        products.TryRemove(KeyValuePair.Create(productId, e));
        return null;
    }
}
