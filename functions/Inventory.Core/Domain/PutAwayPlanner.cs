namespace Inventory.Domain;

/// <summary>What is already stored at a location, summed over every product: the planner subtracts it from capacity.</summary>
public sealed record LocationLoad(string LocationId, long WeightGrams, long VolumeCubicMm);

public sealed record PutAwaySuggestion(string LocationId, LocationType Type, bool Overflowed, string Reason);

/// <summary>
/// Suggests where received units go: a location already holding the product, then a pick face, then bulk, then
/// overflow — the first kind that has room for the whole line by weight (unitWeightGrams × quantity against
/// maxWeightKg less what is there) and by volume (the product's dimensions × quantity against maxVolumeCubicCm less
/// what is there). Within a kind the tightest fit wins (best fit keeps big bins free), ties broken by location id.
/// If nothing has room, the line goes to the overflow location with most room and the suggestion says so.
/// Each kind is a sorted set on free volume, so a line costs O(log n) plus the few bins skipped for weight, never a
/// scan of the warehouse. A capacity of zero means the location sets no limit.
/// </summary>
public sealed class PutAwayPlanner
{
    private const long Unlimited = long.MaxValue / 4;
    private readonly Dictionary<string, Slot> slots = new(StringComparer.Ordinal);
    private readonly Dictionary<LocationType, SortedSet<Slot>> byType = Enum.GetValues<LocationType>()
        .ToDictionary(t => t, _ => new SortedSet<Slot>(SlotOrder.Instance));

    public PutAwayPlanner(IEnumerable<Location> locations, IEnumerable<LocationLoad> loads)
    {
        var load = loads.ToDictionary(l => l.LocationId, StringComparer.Ordinal);
        foreach (var location in locations)
        {
            var used = load.GetValueOrDefault(location.LocationId);
            var slot = new Slot(location.LocationId, location.Type,
                location.MaxWeightKg > 0 ? Saturating.Subtract((long)(location.MaxWeightKg * 1000m), used?.WeightGrams ?? 0) : Unlimited,
                location.MaxVolumeCubicCm > 0 ? Saturating.Subtract(Saturating.Multiply(location.MaxVolumeCubicCm, 1000), used?.VolumeCubicMm ?? 0) : Unlimited);
            slots[slot.LocationId] = slot;
            byType[slot.Type].Add(slot);
        }
    }

    private PutAwayPlanner() { }

    public int Count => slots.Count;

    /// <summary>A copy to try a plan on (a receipt checked whole before it is accepted) without taking room in this one.</summary>
    public PutAwayPlanner Trial()
    {
        var copy = new PutAwayPlanner();
        foreach (var (id, slot) in slots)
        {
            copy.slots[id] = slot;
            copy.byType[slot.Type].Add(slot);
        }
        return copy;
    }

    public PutAwaySuggestion Plan(Product product, long quantity, IEnumerable<string> locationsHoldingProduct, AllocationOptions? order = null)
    {
        var (weight, volume) = Need(product, quantity);
        var holding = locationsHoldingProduct.Select(id => slots.GetValueOrDefault(id)).OfType<Slot>()
            .Where(s => s.Fits(weight, volume)).Min(SlotOrder.Instance);
        if (holding is not null) return Place(holding, weight, volume, false, "consolidated with stock already there");

        foreach (var type in (order ?? AllocationOptions.Default).TypePriority)
        {
            var set = byType[type];
            foreach (var slot in set.GetViewBetween(new Slot("", type, 0, volume), new Slot("\uffff", type, 0, long.MaxValue)))
                if (slot.Fits(weight, volume)) return Place(slot, weight, volume, false, $"{type} with room");
        }
        var overflows = byType[LocationType.Overflow];
        var most = overflows.Max ?? throw new InvalidStateException("Nothing has room and the warehouse has no OVERFLOW location to put the goods in.");
        var overflow = overflows.First(s => s.FreeVolume == most.FreeVolume); // the most room; of equals, the lowest id (as every tie)
        return Place(overflow, weight, volume, true, "no location had room; sent to overflow");
    }

    /// <summary>Records units placed outside <see cref="Plan"/> (a line that named its location), so later lines see the room they took.</summary>
    public void Occupy(string locationId, Product product, long quantity)
    {
        if (slots.TryGetValue(locationId, out var slot)) { var (w, v) = Need(product, quantity); Take(slot, w, v); }
    }

    private PutAwaySuggestion Place(Slot slot, long weight, long volume, bool overflowed, string reason)
    {
        Take(slot, weight, volume);
        return new PutAwaySuggestion(slot.LocationId, slot.Type, overflowed, reason);
    }

    private void Take(Slot slot, long weight, long volume)
    {
        byType[slot.Type].Remove(slot);
        var taken = slot with { FreeWeight = Saturating.Subtract(slot.FreeWeight, weight), FreeVolume = Saturating.Subtract(slot.FreeVolume, volume) };
        slots[slot.LocationId] = taken;
        byType[slot.Type].Add(taken);
    }

    /// <summary>
    /// Saturating, not checked: a valid product and quantity can pass a long (a 2 m cube × 10⁹ units), and a load is never
    /// the reason a committed movement fails (it threw after the commit, and on every retry).
    /// </summary>
    public static (long WeightGrams, long VolumeCubicMm) Need(Product product, long quantity) =>
        (Saturating.Multiply(product.UnitWeightGrams, quantity), Saturating.Multiply(product.Dimensions.VolumeCubicMm, quantity));

    private sealed record Slot(string LocationId, LocationType Type, long FreeWeight, long FreeVolume)
    {
        public bool Fits(long weight, long volume) => FreeWeight >= weight && FreeVolume >= volume;
    }

    private sealed class SlotOrder : IComparer<Slot>
    {
        public static readonly SlotOrder Instance = new();
        public int Compare(Slot? x, Slot? y)
        {
            var byVolume = x!.FreeVolume.CompareTo(y!.FreeVolume);
            return byVolume != 0 ? byVolume : string.CompareOrdinal(x.LocationId, y.LocationId);
        }
    }
}
