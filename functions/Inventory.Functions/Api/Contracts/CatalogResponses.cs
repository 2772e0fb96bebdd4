using Inventory.Application.Catalog;
using Inventory.Domain;

namespace Inventory.Functions.Api.Contracts;

/// <summary>A product as the API answers it (PUT and GET /api/products/{productId}).</summary>
public sealed record ProductResponse
{
    public required string ProductId { get; init; }
    public required string Sku { get; init; }
    public required string Name { get; init; }
    public string? CategoryId { get; init; }
    public decimal UnitCost { get; init; }
    public int UnitWeightGrams { get; init; }
    public DimensionsResponse Dimensions { get; init; } = null!;
    public long ReorderPoint { get; init; }
    public long ReorderQuantity { get; init; }
    public int LeadTimeDays { get; init; }
    public bool IsActive { get; init; }
    public bool AutoReplenish { get; init; }
    public string? PreferredSupplierId { get; init; }

    public static ProductResponse From(Product p) => new()
    {
        ProductId = p.ProductId, Sku = p.Sku, Name = p.Name, CategoryId = p.CategoryId, UnitCost = p.UnitCost, UnitWeightGrams = p.UnitWeightGrams,
        Dimensions = DimensionsResponse.From(p.Dimensions), ReorderPoint = p.ReorderPoint, ReorderQuantity = p.ReorderQuantity,
        LeadTimeDays = p.LeadTimeDays, IsActive = p.IsActive, AutoReplenish = p.AutoReplenish, PreferredSupplierId = p.PreferredSupplierId,
    };
}

public sealed record DimensionsResponse(int LengthMm, int WidthMm, int HeightMm)
{
    public long VolumeCubicMm { get; init; }

    public static DimensionsResponse From(Dimensions d) => new(d.LengthMm, d.WidthMm, d.HeightMm) { VolumeCubicMm = d.VolumeCubicMm };
}

public sealed record AddressResponse(string? Line1, string? City, string? PostalCode, string? Country)
{
    public static AddressResponse? From(Address? a) => a is null ? null : new(a.Line1, a.City, a.PostalCode, a.Country);
}

/// <summary>A warehouse without its locations (the warehouses list).</summary>
public sealed record WarehouseSummaryResponse
{
    public required string WarehouseId { get; init; }
    public required string Name { get; init; }
    public AddressResponse? Address { get; init; }
    public string Timezone { get; init; } = "UTC";
    public decimal CapacityCubicMeters { get; init; }

    public static WarehouseSummaryResponse From(Warehouse w) => new()
    {
        WarehouseId = w.WarehouseId, Name = w.Name, Address = AddressResponse.From(w.Address), Timezone = w.Timezone, CapacityCubicMeters = w.CapacityCubicMeters,
    };
}

/// <summary>A warehouse with its locations (PUT and GET /api/warehouses/{warehouseId}).</summary>
public sealed record WarehouseResponse(
    string WarehouseId, string Name, AddressResponse? Address, string Timezone, decimal CapacityCubicMeters, IReadOnlyList<LocationResponse> Locations)
{
    public static WarehouseResponse From(WarehouseView v) =>
        new(v.Warehouse.WarehouseId, v.Warehouse.Name, AddressResponse.From(v.Warehouse.Address), v.Warehouse.Timezone, v.Warehouse.CapacityCubicMeters,
            v.Locations.Select(LocationResponse.From).ToArray());
}

public sealed record LocationResponse
{
    public required string LocationId { get; init; }
    public required string WarehouseId { get; init; }
    public string? Aisle { get; init; }
    public string? Bay { get; init; }
    public string? Level { get; init; }
    public string? Bin { get; init; }
    public LocationType Type { get; init; }
    public decimal MaxWeightKg { get; init; }
    public long MaxVolumeCubicCm { get; init; }

    public static LocationResponse From(Location l) => new()
    {
        LocationId = l.LocationId, WarehouseId = l.WarehouseId, Aisle = l.Aisle, Bay = l.Bay, Level = l.Level, Bin = l.Bin, Type = l.Type,
        MaxWeightKg = l.MaxWeightKg, MaxVolumeCubicCm = l.MaxVolumeCubicCm,
    };
}
