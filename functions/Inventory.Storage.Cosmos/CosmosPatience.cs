namespace Inventory.Storage.Cosmos;

/// <summary>
/// How long a caller can wait on throttling (429). A caller waiting on an HTTP response cannot sit through the SDK's 30 s
/// of rate-limit retries and the store's own: calls made inside <see cref="Interactive"/> (on that async flow) use the
/// fail-fast client and no extra commit retries, so the host answers 503 with Retry-After within a few seconds. Queue and
/// timer work keeps the patient defaults: a redelivery costs more than a wait.
/// </summary>
public static class CosmosPatience
{
    private static readonly AsyncLocal<bool> Current = new();

    public static bool IsInteractive => Current.Value;

    /// <summary>Marks the calls of this flow as made for a waiting HTTP caller until disposed.</summary>
    public static IDisposable Interactive()
    {
        var previous = Current.Value;
        Current.Value = true;
        return new Restore(previous);
    }

    private sealed class Restore(bool previous) : IDisposable
    {
        public void Dispose() => Current.Value = previous;
    }
}
