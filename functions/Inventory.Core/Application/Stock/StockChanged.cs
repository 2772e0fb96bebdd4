namespace Inventory.Application.Stock;

/// <summary>
/// What one stock commit (or its replay) changed, handed to <see cref="AfterStockCommit"/>: the movements location loads
/// follow (a replay's carries no entry but the balances, so a retry after a crash catches the loads up), and the levels of
/// products whose availability this change may have lowered, which the reorder trigger looks at.
/// </summary>
public sealed record StockChanged(IReadOnlyCollection<StockMoved> Moves, IReadOnlyCollection<StockLevel> Drops)
{
    /// <summary>One movement; <paramref name="lowered"/> when it may have lowered the product's availability (a ship, a downward adjustment).</summary>
    public static StockChanged Of(StockMoved moved, bool lowered = false) => new([moved], lowered ? [moved.Level] : []);
}

/// <summary>Something that follows committed stock changes (location loads, the reorder trigger).</summary>
public interface IStockChangeHandler
{
    Task HandleAsync(StockChanged change, CancellationToken ct);
}

/// <summary>
/// The one step after every stock commit: its handlers run in order, after the commit and on every replay of it. A
/// handler's failure reaches the caller but never undoes the commit; the next replay runs the handlers again.
/// </summary>
public sealed class AfterStockCommit(IEnumerable<IStockChangeHandler> handlers)
{
    private readonly IStockChangeHandler[] handlers = handlers.ToArray();

    /// <summary>No handler: what internal callers and tests use when nothing follows.</summary>
    public static AfterStockCommit None { get; } = new([]);

    public async Task RunAsync(StockChanged change, CancellationToken ct)
    {
        foreach (var handler in handlers) await handler.HandleAsync(change, ct);
    }
}
