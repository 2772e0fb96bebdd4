namespace Inventory.Application.Orders;

/// <summary>
/// A saga coordinated by an order that <see cref="RecoverOrders"/> can finish: each kind enlists the order in the
/// open-saga index (<see cref="OrderHeaders.EnlistAsync"/>) before its intent and delists it once terminal.
/// </summary>
public interface IOrderSaga
{
    /// <summary>The kind its index entries carry (e.g. "reserve").</summary>
    string Kind { get; }

    /// <summary>Drives the order's saga of this kind to a terminal state (idempotent; a refusal recorded is an end, not an error).</summary>
    Task ResumeAsync(string orderId, CancellationToken ct);
}
