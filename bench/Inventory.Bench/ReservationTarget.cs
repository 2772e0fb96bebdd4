using Inventory.Testing;
using System.Net;
using System.Net.Http.Json;
using Inventory.Application;
using Inventory.Application.Orders;
using Inventory.Domain;

namespace Inventory.Bench;

public enum Outcome { Reserved, Refused, Failed }

/// <summary>What the clients reserve against: the application in-process, or a host over HTTP.</summary>
public interface IReservationTarget
{
    string Mode { get; }
    Task<Outcome> ReserveAsync(string productId, string orderId, CancellationToken ct);
    /// <summary>Commit counters where the target can see them (in-process only).</summary>
    CommitStatistics? Statistics { get; }
    /// <summary>The store's call counts where the target can see them (in-process only).</summary>
    CountingStore? Counter => null;
}

public sealed class InProcessTarget(string mode, InventoryApplication app, CountingStore? counter = null) : IReservationTarget
{
    public string Mode => mode;
    public CountingStore? Counter => counter;
    public CommitStatistics? Statistics => app.Statistics;
    public InventoryApplication App => app;
    /// <summary>Failures by kind (a shared commit's by its cause).</summary>
    public System.Collections.Concurrent.ConcurrentDictionary<string, int> Failures { get; } = new(StringComparer.Ordinal);

    public async Task<Outcome> ReserveAsync(string productId, string orderId, CancellationToken ct)
    {
        try
        {
            await app.Reserve.ExecuteAsync(new ReserveCommand(orderId, [new OrderLine(productId, 1)], PerformedBy: "bench"), ct);
            return Outcome.Reserved;
        }
        catch (InsufficientStockException) { return Outcome.Refused; }
        catch (Exception e) when (e is DomainException or SharedCommitFailedException or Storage.StoreFailureException)
        {
            Failures.AddOrUpdate((e is SharedCommitFailedException { InnerException: { } inner } ? inner : e).GetType().Name, 1, (_, n) => n + 1);
            return Outcome.Failed;
        }
    }
}

/// <summary>
/// A client that honours a 503: it replays the same order after a pause until it gets an answer (a replay is safe, the
/// saga carries on from where it stands), as a webhook sender retries. Only an answer counts; latency includes the retries.
/// </summary>
public sealed class PersistentTarget(IReservationTarget inner, TimeSpan pause, int attempts = 50) : IReservationTarget
{
    public IReservationTarget Inner => inner;
    private long retries;
    public string Mode => inner.Mode;
    public CommitStatistics? Statistics => inner.Statistics;
    public long Retries => Interlocked.Read(ref retries);

    public async Task<Outcome> ReserveAsync(string productId, string orderId, CancellationToken ct)
    {
        for (var n = 1; ; n++)
        {
            var outcome = await inner.ReserveAsync(productId, orderId, ct);
            if (outcome != Outcome.Failed || n >= attempts) return outcome;
            Interlocked.Increment(ref retries);
            await Task.Delay(pause, ct);
        }
    }
}

/// <summary>POST /api/reservations on a running host (functions/Inventory.LocalHost).</summary>
public sealed class HttpTarget(string mode, HttpClient http) : IReservationTarget
{
    public string Mode => mode;
    public CommitStatistics? Statistics => null;

    public async Task<Outcome> ReserveAsync(string productId, string orderId, CancellationToken ct)
    {
        try
        {
            using var response = await http.PostAsJsonAsync("api/reservations",
                new { orderId, lines = new[] { new { productId, quantity = 1 } }, performedBy = "bench" }, ct);
            if (response.IsSuccessStatusCode) return Outcome.Reserved;
            var body = await response.Content.ReadAsStringAsync(ct);
            return response.StatusCode == HttpStatusCode.Conflict && body.Contains("insufficient-stock", StringComparison.Ordinal)
                ? Outcome.Refused : Outcome.Failed;
        }
        catch (HttpRequestException) { return Outcome.Failed; }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested) { return Outcome.Failed; } // the client's timeout
    }
}
