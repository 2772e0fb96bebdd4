using Inventory.Application;

namespace Inventory.Storage;

/// <summary>
/// The store cost (Cosmos DB: request units) of one logical operation: a reservation, a receipt, a function call. A store
/// that measures cost calls <see cref="Charge"/> for each call; the charge goes to the operation of the calling flow, or,
/// for a call made for a coalesced batch, is split evenly among the requests the call served, so no request is billed for
/// the others (a shared batch runs in no caller's flow: <c>AmbientContext</c>). Disposing records the total on the
/// <c>inventory.operation.request_charge</c> histogram when anything was charged.
/// </summary>
public sealed class OperationCost : IDisposable
{
    private static readonly AsyncLocal<OperationCost?> Current = new();
    private static readonly AsyncLocal<OperationCost[]?> Sharing = new();

    private readonly Lock gate = new();
    private readonly OperationCost? parent;
    private double units;
    private int calls;
    private bool disposed;

    private OperationCost(string operation, OperationCost? parent)
    {
        Operation = operation;
        this.parent = parent;
    }

    public string Operation { get; }

    public double Units { get { lock (gate) return units; } }

    /// <summary>Store calls charged to it, a shared call counting for each request it served.</summary>
    public int Calls { get { lock (gate) return calls; } }

    /// <summary>The operation the calls of this flow are charged to, if any.</summary>
    public static OperationCost? Active => Current.Value;

    /// <summary>Starts an operation on this flow; one started inside another is part of it (the outer one sees its cost too).</summary>
    public static OperationCost Begin(string operation)
    {
        var cost = new OperationCost(operation, Current.Value);
        Current.Value = cost;
        return cost;
    }

    /// <summary>Until disposed, calls on this flow are made for these operations and split evenly among them.</summary>
    public static IDisposable SharedBy(IEnumerable<OperationCost?> operations)
    {
        var previous = Sharing.Value;
        var payers = operations.OfType<OperationCost>().Distinct().ToArray();
        Sharing.Value = payers.Length > 0 ? payers : null;
        return new Restore(previous);
    }

    public static void Charge(double units)
    {
        if (Sharing.Value is { } payers)
        {
            foreach (var p in payers) p.Add(units / payers.Length);
            return;
        }
        Current.Value?.Add(units);
    }

    private void Add(double charge)
    {
        lock (gate)
        {
            units += charge;
            calls++;
        }
        parent?.Add(charge);
    }

    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        if (ReferenceEquals(Current.Value, this)) Current.Value = parent;
        if (Units > 0) InventoryMetrics.OperationCharge(Operation, Units);
    }

    private sealed class Restore(OperationCost[]? previous) : IDisposable
    {
        public void Dispose() => Sharing.Value = previous;
    }
}
