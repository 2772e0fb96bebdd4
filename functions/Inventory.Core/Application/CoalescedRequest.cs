using Inventory.Domain;

namespace Inventory.Application;

/// <summary>
/// One caller's request waiting in a product's queue: what it needs read, its decision, and where its own outcome goes.
/// The decision must stay a re-runnable function of the state: a batch that loses a race is reloaded and decided again.
/// </summary>
internal abstract class CoalescedRequest(StockRead read, LoadedStock? preloaded, CancellationToken ct)
{
    public StockRead Read { get; } = read;
    /// <summary>What the caller read already; used only when the request runs alone, as its first attempt.</summary>
    public LoadedStock? Preloaded { get; set; } = preloaded;
    public CancellationToken CancellationToken { get; } = ct;
    public long EnqueuedAt { get; } = System.Diagnostics.Stopwatch.GetTimestamp();
    /// <summary>The caller's operation: the batch's shared store calls are charged to it in part.</summary>
    public Storage.OperationCost? Cost { get; } = Storage.OperationCost.Active;

    /// <summary>Why the last decision refused, if it threw. The caller of <see cref="Decide"/> rolls its changes back.</summary>
    public Exception? Refusal { get; protected set; }

    /// <summary>Decides on <paramref name="stock"/>, keeping the result or the refusal until the batch is settled.</summary>
    public abstract void Decide(ProductStock stock);
    /// <summary>Hands the caller the outcome of its last decision.</summary>
    public abstract void Settle();
    public abstract void Fail(Exception error);
    public abstract bool IsDone { get; }
}

internal sealed class CoalescedRequest<T> : CoalescedRequest
{
    private readonly TaskCompletionSource<T> outcome = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Func<ProductStock, T> decide;
    private T? result;

    public CoalescedRequest(StockRead read, Func<ProductStock, T> decide, LoadedStock? preloaded, CancellationToken ct) : base(read, preloaded, ct)
    {
        this.decide = decide;
    }

    public Task<T> Outcome => outcome.Task;
    public override bool IsDone => outcome.Task.IsCompleted;

    public override void Decide(ProductStock stock)
    {
        try
        {
            result = decide(stock);
            Refusal = null;
        }
        catch (Exception e)
        {
            result = default;
            Refusal = e;
        }
    }

    public override void Settle()
    {
        if (Refusal is { } e) outcome.TrySetException(e);
        else outcome.TrySetResult(result!);
    }

    public override void Fail(Exception error) => outcome.TrySetException(error);

    /// <summary>The caller gave up while waiting: it gets its cancellation, and the request is dropped before it is decided.</summary>
    public void Cancel() => outcome.TrySetCanceled(CancellationToken);
}
