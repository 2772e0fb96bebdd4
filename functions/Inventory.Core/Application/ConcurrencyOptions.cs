namespace Inventory.Application;

/// <summary>How hard to retry a commit that lost an optimistic-concurrency race. Delays use full jitter.</summary>
public sealed record ConcurrencyOptions
{
    public int MaxAttempts { get; init; } = 60;
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromMilliseconds(2);
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromMilliseconds(250);

    public TimeSpan DelayBefore(int attempt)
    {
        var cap = Math.Min(MaxDelay.TotalMilliseconds, BaseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempt, 16)));
        return TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * cap);
    }
}
