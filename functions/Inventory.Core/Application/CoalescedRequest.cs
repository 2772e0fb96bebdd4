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
    /// <summary>The caller's ambient context (trace, scopes): a batch of this request alone makes its store calls in it.</summary>
    public ExecutionContext? Context { get; } = ExecutionContext.Capture();

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

    /// <summary>
    /// The outcome, or the caller's cancellation as soon as it cancels: a request whose cancellation is seen before it is
    /// decided is dropped; one decided already rides its commit (applied, replayable by its idempotent reference).
    /// </summary>
    public async Task<T> OutcomeAsync()
    {
        using var cancellation = CancellationToken.CanBeCanceled ? CancellationToken.Register(static r => ((CoalescedRequest<T>)r!).Cancel(), this) : default;
        return await outcome.Task;
    }

    private void Cancel() => outcome.TrySetCanceled(CancellationToken);
}
