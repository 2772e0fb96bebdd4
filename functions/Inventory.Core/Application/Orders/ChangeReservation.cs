using System.Security.Cryptography;
using System.Text;
using Inventory.Domain;

namespace Inventory.Application.Orders;

/// <summary>A line of a release or fulfilment: a product of the order and, optionally, how much (default: all it still holds).</summary>
public sealed record ReservationLineChange(string ProductId, long? Quantity = null);

public sealed record ReservationChangeCommand(
    string OrderId, IReadOnlyList<ReservationLineChange>? Lines = null, string? Reference = null, string PerformedBy = "api");

/// <summary>
/// What releasing and fulfilling share: the order's header says which products to touch, each product is one
/// transaction, and the operation's reference (given, or derived from the lines) makes a retried call a no-op.
/// </summary>
public abstract class ChangeReservation(StockCommitter committer, OrderHeaders headers, TimeProvider clock)
{
    public async Task<ReservationView> ExecuteAsync(ReservationChangeCommand command, CancellationToken ct = default)
    {
        Validate(command);
        var order = await headers.GetAsync(command.OrderId, ct);
        var targets = Targets(order, command.Lines);
        var reference = command.Reference ?? DerivedReference(command.Lines);
        var decided = new Dictionary<string, ProductReservation?>(await headers.ReservationsAsync(order, ct), StringComparer.Ordinal);
        foreach (var (productId, quantity) in targets)
        {
            if (decided[productId] is null) throw new ReservationNotFoundException(order.OrderId);
            StockLevel? level = null;
            Stock.StockMoved? moved = null;
            decided[productId] = await committer.RunAsync(productId, StockRead.ForOrder(order.OrderId), s =>
            {
                (var r, moved) = Stock.StockMoved.Capture(s, stock => Apply(stock, order.OrderId, reference,
                    quantity?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "all", quantity, command.PerformedBy, clock.GetUtcNow()));
                level = new StockLevel(s.Product, s.AvailableIn(null));
                return r;
            }, ct);
            if (moved is { Entries.Count: > 0 } && AfterMove is not null) await AfterMove(moved, ct);
            if (level is not null && AfterChange is not null) await AfterChange(level, ct);
        }
        return ReservationView.From(order, decided);
    }

    /// <summary>Runs after each product's commit (also on a replay, so a trigger missed by a crash runs on the retry).</summary>
    public Func<StockLevel, CancellationToken, Task>? AfterChange { get; init; }

    /// <summary>Runs after each product's commit with the entries it wrote (location loads).</summary>
    public Func<Stock.StockMoved, CancellationToken, Task>? AfterMove { get; init; }

    protected abstract ProductReservation Apply(ProductStock stock, string orderId, string reference, string fingerprint, long? quantity,
        string performedBy, DateTimeOffset now);

    private static IReadOnlyList<(string ProductId, long? Quantity)> Targets(OrderRecord order, IReadOnlyList<ReservationLineChange>? lines)
    {
        if (lines is null || lines.Count == 0) return order.Lines.Select(l => (l.ProductId, (long?)null)).ToArray();
        var unknown = lines.Where(l => order.Lines.All(o => o.ProductId != l.ProductId)).Select(l => l.ProductId).ToArray();
        if (unknown.Length > 0)
            throw new ValidationException(unknown.Select(p => new FieldError("lines.productId", $"'{p}' is not a product of order '{order.OrderId}'")).ToArray());
        return lines.GroupBy(l => l.ProductId, StringComparer.Ordinal)
            .Select(g => (g.Key, g.Any(l => l.Quantity is null) ? null : (long?)g.Sum(l => l.Quantity!.Value))).ToArray();
    }

    private static string DerivedReference(IReadOnlyList<ReservationLineChange>? lines)
    {
        if (lines is null || lines.Count == 0) return "all";
        var canonical = string.Join(",", lines.OrderBy(l => l.ProductId, StringComparer.Ordinal).Select(l => $"{l.ProductId}:{l.Quantity}"));
        return "h-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)))[..16];
    }

    private static void Validate(ReservationChangeCommand c)
    {
        var guard = new Guard().Id("orderId", c.OrderId).OptionalId("reference", c.Reference)
            .Text("performedBy", c.PerformedBy, Limits.MaxIdLength)
            .That(c.Lines is null || c.Lines.Count <= Limits.MaxLinesPerRequest, "lines", $"must hold at most {Limits.MaxLinesPerRequest} lines");
        for (var i = 0; i < (c.Lines?.Count ?? 0); i++)
        {
            guard.Id($"lines[{i}].productId", c.Lines![i]?.ProductId);
            if (c.Lines[i]?.Quantity is { } q) guard.Quantity($"lines[{i}].quantity", q);
        }
        guard.ThrowIfAny();
    }
}

/// <summary>Gives back reserved stock (RELEASE entries).</summary>
public sealed class ReleaseReservation(StockCommitter committer, OrderHeaders headers, TimeProvider clock) : ChangeReservation(committer, headers, clock)
{
    protected override ProductReservation Apply(ProductStock stock, string orderId, string reference, string fingerprint, long? quantity,
        string performedBy, DateTimeOffset now) =>
        stock.Release(orderId, "release-" + reference, fingerprint, quantity, ReleaseReason.Requested, performedBy, now);
}

/// <summary>Ships reserved stock (SHIP entries), partially or wholly.</summary>
public sealed class FulfillReservation(StockCommitter committer, OrderHeaders headers, TimeProvider clock) : ChangeReservation(committer, headers, clock)
{
    protected override ProductReservation Apply(ProductStock stock, string orderId, string reference, string fingerprint, long? quantity,
        string performedBy, DateTimeOffset now) =>
        stock.Fulfill(orderId, "ship-" + reference, fingerprint, quantity, performedBy, now);
}
