namespace Inventory.Domain;

public enum LocationType { PickFace, Bulk, Overflow }

public sealed record Dimensions(int LengthMm, int WidthMm, int HeightMm)
{
    public long VolumeCubicMm => (long)LengthMm * WidthMm * HeightMm;
}

public sealed record Product
{
    public required string ProductId { get; init; }
    public required string Sku { get; init; }
    public required string Name { get; init; }
    public string? CategoryId { get; init; }
    public decimal UnitCost { get; init; }
    public int UnitWeightGrams { get; init; }
    public Dimensions Dimensions { get; init; } = new(0, 0, 0);
    public long ReorderPoint { get; init; }
    public long ReorderQuantity { get; init; }
    public int LeadTimeDays { get; init; }
    public bool IsActive { get; init; } = true;
    public bool AutoReplenish { get; init; }
    public string? PreferredSupplierId { get; init; }
}

public sealed record Address(string? Line1, string? City, string? PostalCode, string? Country);

public sealed record Warehouse
{
    public required string WarehouseId { get; init; }
    public required string Name { get; init; }
    public Address? Address { get; init; }
    /// <summary>IANA time zone id, e.g. Europe/Paris.</summary>
    public string Timezone { get; init; } = "UTC";
    public decimal CapacityCubicMeters { get; init; }
}

public sealed record Location
{
    public required string LocationId { get; init; }
    public required string WarehouseId { get; init; }
    public string? Aisle { get; init; }
    public string? Bay { get; init; }
    public string? Level { get; init; }
    public string? Bin { get; init; }
    public LocationType Type { get; init; } = LocationType.Bulk;
    public decimal MaxWeightKg { get; init; }
    public long MaxVolumeCubicCm { get; init; }
}
