using Inventory.Domain;

namespace Inventory.Application.Replenishment;

public sealed record ProductReplenishmentView(
    string ProductId, bool AutoReplenish, string? PreferredSupplierId, long ReorderPoint, long ReorderQuantity,
    int LeadTimeDays, double? MeasuredLeadTimeDays, bool LeadTimeDrift, IReadOnlyList<LeadTimeObservation> LeadTimes,
    ReplenishmentPosition Position, IReadOnlyList<IncomingOrder> OpenOrders);

/// <summary>A product's replenishment picture: its position against the nightly rule, open orders, and measured against configured lead time.</summary>
public sealed class ReplenishmentQueries(Storage.IDocumentStore store, ReplenishmentOptions options, TimeProvider clock)
{
    public async Task<ProductReplenishmentView> GetAsync(string productId, CancellationToken ct = default)
    {
        new Guard().Id("productId", productId).ThrowIfAny();
        var s = await new ProductPartitions(store).SnapshotAsync(productId, ct) ?? throw new ProductNotFoundException(productId);
        var p = s.Product;
        var measured = s.Supply.MeasuredLeadTimeDays(p.PreferredSupplierId);
        var position = ReplenishmentRule.Nightly(p, s.Available, s.Supply, s.Demand, DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime), options.DemandWindowDays);
        return new ProductReplenishmentView(productId, p.AutoReplenish, p.PreferredSupplierId, p.ReorderPoint, p.ReorderQuantity, p.LeadTimeDays,
            measured, ReplenishmentRule.Drifts(p.LeadTimeDays, measured), s.Supply.LeadTimes, position, s.Supply.Open);
    }
}
