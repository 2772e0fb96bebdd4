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

    public async Task<Outcome> ReserveAsync(string productId, string orderId, CancellationToken ct)
    {
        try
        {
            await app.Reserve.ExecuteAsync(new ReserveCommand(orderId, [new OrderLine(productId, 1)], PerformedBy: "bench"), ct);
            return Outcome.Reserved;
        }
        catch (InsufficientStockException) { return Outcome.Refused; }
        catch (Exception e) when (e is DomainException or SharedCommitFailedException) { return Outcome.Failed; }
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
    }
}
