namespace Inventory.Application;

/// <summary>
/// Keeps one caller's ambient context (AsyncLocal values, <see cref="System.Diagnostics.Activity.Current"/>, logging
/// scopes, its SynchronizationContext) out of work done for others. A product's drain is started by whichever caller
/// finds the queue idle, and then commits for every caller queued behind it: it must run in no caller's context.
/// <para>
/// Why not <see cref="ExecutionContext.SuppressFlow"/> around the drain's start: suppression only stops the context
/// from being captured; the drain's synchronous part still runs in the caller's context (and sees its values), and
/// moving the drain to the thread pool instead changes when work runs (a commit no longer runs on the thread that
/// called it, so a caller that holds a lock while it waits for that commit deadlocks). Running it inline in an empty
/// context does neither.
/// </para>
/// </summary>
internal static class AmbientContext
{
    /// <summary>The context a thread starts with: no AsyncLocal value, no Activity, no scope.</summary>
    private static readonly ExecutionContext Empty = CaptureEmpty();

    /// <summary>Runs <paramref name="start"/> (which starts asynchronous work) on this thread, in the empty context.</summary>
    public static void StartDetached(Action start)
    {
        var synchronization = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(null);
        try { ExecutionContext.Run(Empty, static s => ((Action)s!)(), start); }
        finally { SynchronizationContext.SetSynchronizationContext(synchronization); }
    }

    /// <summary>Starts <paramref name="call"/> in <paramref name="context"/> (a caller's, captured) when there is one; its continuations stay there.</summary>
    public static Task<T> StartIn<T>(ExecutionContext? context, Func<Task<T>> call)
    {
        if (context is null) return call();
        Task<T>? task = null;
        ExecutionContext.Run(context, _ => task = call(), null);
        return task!;
    }

    private static ExecutionContext CaptureEmpty()
    {
        ExecutionContext? empty = null;
        var thread = new Thread(() => empty = ExecutionContext.Capture()); // UnsafeStart: the thread inherits nothing
        thread.UnsafeStart();
        thread.Join();
        return empty ?? throw new InvalidOperationException("No execution context could be captured.");
    }
}
