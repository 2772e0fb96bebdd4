using Inventory.Domain;
using Inventory.Storage;

namespace Inventory.Application.Orders;

/// <summary>Settings of the order sagas (section <c>Orders</c>).</summary>
public sealed record OrderOptions
{
    public const string Section = "Orders";

    /// <summary>How long a saga may stay open before <see cref="RecoverOrders"/> finishes it (Orders__RecoverAfterSeconds).</summary>
    public int RecoverAfterSeconds { get; init; } = 60;

    /// <summary>
    /// How long the request that claims a one-product order is the only one that may reserve it, reading the product
    /// without looking for an earlier reservation of the order (<see cref="OrderClaim"/>, Orders__ClaimExclusiveMilliseconds;
    /// 0: every read looks, and a second request for the order does not wait).
    /// </summary>
    public int ClaimExclusiveMilliseconds { get; init; } = 2_000;

    /// <summary>How far two instances' clocks may disagree: another request for a claimed order waits this much longer (Orders__ClockSkewMilliseconds).</summary>
    public int ClockSkewMilliseconds { get; init; } = 1_000;
}

/// <remarks><paramref name="Failures"/>: the first few sagas that failed, each with its error, for the operator's log.</remarks>
public sealed record OrderRecoveryResult(int Open, int Due, int Finished, int Failed, int UnknownKind, IReadOnlyList<string>? Failures = null);

/// <summary>
/// Finishes every order saga left open longer than <see cref="OrderOptions.RecoverAfterSeconds"/>: reads the open-saga
/// index (only what is in flight) and hands each due entry to the saga of its kind, which goes forward when its recorded
/// decision allows and back otherwise. A saga that fails now (the store down) stays enlisted for the next run.
/// </summary>
public sealed class RecoverOrders(OrderHeaders headers, IEnumerable<IOrderSaga> sagas, OrderOptions options, TimeProvider clock)
{
    private readonly Dictionary<string, IOrderSaga> byKind = sagas.ToDictionary(s => s.Kind, StringComparer.Ordinal);

    private const int MaxFailuresReported = 10;

    public async Task<OrderRecoveryResult> ExecuteAsync(CancellationToken ct = default)
    {
        var dueBefore = clock.GetUtcNow() - TimeSpan.FromSeconds(options.RecoverAfterSeconds);
        int open = 0, due = 0, finished = 0, failed = 0, unknown = 0;
        var failures = new List<string>();
        await foreach (var saga in headers.OpenSagasAsync(ct))
        {
            open++;
            if (saga.Since > dueBefore) continue;
            due++;
            if (!byKind.TryGetValue(saga.Kind, out var handler)) { unknown++; continue; }
            try
            {
                await handler.ResumeAsync(saga.OrderId, ct);
                finished++;
            }
            catch (Exception e) when (e is DomainException or StoreFailureException or TransactionTooLargeException or SharedCommitFailedException
                                           or StockInvariantException or InvalidDataException or System.Text.Json.JsonException)
            {
                // This saga's failure alone: it stays enlisted, and the sweep goes on to the others. A step its data can no
                // longer take (a domain rule's invariant, unreadable stored data) is one too: met first on every run, it
                // stopped every saga after it for good.
                failed++;
                if (failures.Count < MaxFailuresReported) failures.Add($"{saga.Kind} {saga.OrderId}: {e.GetType().Name}: {e.Message}");
            }
        }
        return new OrderRecoveryResult(open, due, finished, failed, unknown, failures);
    }
}
