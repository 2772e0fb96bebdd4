using Inventory.Application.Orders;
using Inventory.Application.Stock;
using System.Text.Json;
using System.Text.Json.Serialization;
using Inventory.Domain;

namespace Inventory.Functions.Api;

// Request bodies. Every member is nullable so that a missing field is reported by name (Required) instead of
// becoming a default; the application layer then checks ranges and formats.

/// <summary>Millimetres, named as the specification does (length, width, height) or as stored (lengthMm, ...): one of each pair.</summary>
public sealed record DimensionsBody(int? LengthMm, int? WidthMm, int? HeightMm, int? Length = null, int? Width = null, int? Height = null)
{
    public Dimensions ToDimensions()
    {
        new Guard().That(Length is null || LengthMm is null, "dimensions.length", "give length or lengthMm, not both")
            .That(Width is null || WidthMm is null, "dimensions.width", "give width or widthMm, not both")
            .That(Height is null || HeightMm is null, "dimensions.height", "give height or heightMm, not both").ThrowIfAny();
        return new Dimensions(LengthMm ?? Length ?? 0, WidthMm ?? Width ?? 0, HeightMm ?? Height ?? 0);
    }
}

public sealed record ProductBody(
    string? ProductId, string? Sku, string? Name, string? CategoryId, decimal? UnitCost, int? UnitWeightGrams, DimensionsBody? Dimensions,
    long? ReorderPoint, long? ReorderQuantity, int? LeadTimeDays, bool? IsActive, bool? AutoReplenish, string? PreferredSupplierId)
{
    public Product ToProduct(string productId)
    {
        Required.Matches("productId", ProductId, productId).Present("sku", Sku).Present("name", Name).ThrowIfAny();
        return new Product
        {
            ProductId = productId, Sku = Sku!, Name = Name!, CategoryId = CategoryId, UnitCost = UnitCost ?? 0,
            UnitWeightGrams = UnitWeightGrams ?? 0,
            Dimensions = Dimensions?.ToDimensions() ?? new Dimensions(0, 0, 0),
            ReorderPoint = ReorderPoint ?? 0, ReorderQuantity = ReorderQuantity ?? 0, LeadTimeDays = LeadTimeDays ?? 0,
            IsActive = IsActive ?? true, AutoReplenish = AutoReplenish ?? false, PreferredSupplierId = PreferredSupplierId,
        };
    }
}

/// <summary><c>address</c>: one string, as the specification has it (kept as <c>line1</c>), or the object {line1, city, postalCode, country}.</summary>
public sealed record WarehouseBody(string? WarehouseId, string? Name, [property: JsonConverter(typeof(AddressBody))] Address? Address, string? Timezone,
    decimal? CapacityCubicMeters)
{
    public Warehouse ToWarehouse(string warehouseId)
    {
        Required.Matches("warehouseId", WarehouseId, warehouseId).Present("name", Name).ThrowIfAny();
        return new Warehouse { WarehouseId = warehouseId, Name = Name!, Address = Address, Timezone = Timezone ?? "UTC", CapacityCubicMeters = CapacityCubicMeters ?? 0 };
    }
}

public sealed record LocationBody(
    string? LocationId, string? WarehouseId, string? Aisle, string? Bay, string? Level, string? Bin, LocationType? Type,
    decimal? MaxWeightKg, long? MaxVolumeCubicCm)
{
    public Location ToLocation(string warehouseId, string locationId)
    {
        Required.Matches("warehouseId", WarehouseId, warehouseId).Matches("locationId", LocationId, locationId).ThrowIfAny();
        return new Location
        {
            LocationId = locationId, WarehouseId = warehouseId, Aisle = Aisle, Bay = Bay, Level = Level, Bin = Bin,
            Type = Type ?? LocationType.Bulk, MaxWeightKg = MaxWeightKg ?? 0, MaxVolumeCubicCm = MaxVolumeCubicCm ?? 0,
        };
    }
}

public sealed record ReserveLineBody(string? ProductId, long? Quantity);

public sealed record ReserveBody(
    string? OrderId, string? WarehouseId, ReservationPolicy? Policy, int? HoldMinutes, IReadOnlyList<ReserveLineBody?>? Lines, string? PerformedBy)
{
    public ReserveCommand ToCommand()
    {
        var required = Required.Present("orderId", OrderId).Present("lines", Lines);
        for (var i = 0; i < (Lines?.Count ?? 0); i++)
        {
            if (Lines![i] is not { } line) { required.Present($"lines[{i}]", null); continue; }
            required.Present($"lines[{i}].productId", line.ProductId).Present($"lines[{i}].quantity", line.Quantity);
        }
        required.ThrowIfAny();
        return new ReserveCommand(OrderId!, Lines!.Select(l => new OrderLine(l!.ProductId!, l.Quantity!.Value)).ToArray(), WarehouseId,
            Policy ?? ReservationPolicy.AllOrNothing, HoldMinutes, PerformedBy ?? "api");
    }
}

public sealed record ChangeLineBody(string? ProductId, long? Quantity);

/// <summary>Body of fulfil and release: optional lines (default: everything still held) and an optional reference for retries.</summary>
public sealed record ChangeBody(IReadOnlyList<ChangeLineBody?>? Lines, string? Reference, string? PerformedBy)
{
    public static ReservationChangeCommand ToCommand(string orderId, ChangeBody? body)
    {
        var required = new Guard();
        for (var i = 0; i < (body?.Lines?.Count ?? 0); i++)
            required.That(body!.Lines![i] is not null, $"lines[{i}]", "is required");
        required.ThrowIfAny();
        return new ReservationChangeCommand(orderId, body?.Lines?.Select(l => new ReservationLineChange(l!.ProductId!, l.Quantity)).ToArray(),
            body?.Reference, body?.PerformedBy ?? "api");
    }
}

public sealed record AdjustmentBody(
    string? AdjustmentId, string? ProductId, string? LocationId, long? Delta, long? CountedQuantity, string? ReasonCode, bool? Force, string? PerformedBy)
{
    public AdjustCommand ToCommand()
    {
        Required.Present("adjustmentId", AdjustmentId).Present("productId", ProductId).Present("locationId", LocationId)
            .Present("reasonCode", ReasonCode).ThrowIfAny();
        return new AdjustCommand(ProductId!, LocationId!, Delta, CountedQuantity, ReasonCode!, AdjustmentId!, Force ?? false, PerformedBy ?? "api");
    }
}

public sealed record TransferBody(string? TransferId, string? ProductId, string? FromLocationId, string? ToLocationId, long? Quantity, string? PerformedBy)
{
    public TransferCommand ToCommand()
    {
        Required.Present("transferId", TransferId).Present("productId", ProductId).Present("fromLocationId", FromLocationId)
            .Present("toLocationId", ToLocationId).Present("quantity", Quantity).ThrowIfAny();
        return new TransferCommand(ProductId!, FromLocationId!, ToLocationId!, Quantity!.Value, TransferId!, PerformedBy ?? "api");
    }
}

public sealed record ReceiptBody(string? ReceiptId, string? ProductId, string? LocationId, long? Quantity, string? ReferenceType, string? PerformedBy)
{
    public ReceiveCommand ToCommand()
    {
        Required.Present("receiptId", ReceiptId).Present("productId", ProductId).Present("locationId", LocationId)
            .Present("quantity", Quantity).ThrowIfAny();
        return new ReceiveCommand(ProductId!, LocationId!, Quantity!.Value, ReceiptId!, ReferenceType ?? "Receipt", PerformedBy ?? "api");
    }
}

/// <summary>Names the fields a body left out, all at once.</summary>
internal static class Required
{
    public static Guard Present(this Guard guard, string field, object? value) => guard.That(value is not null, field, "is required");
    public static Guard Present(string field, object? value) => new Guard().Present(field, value);

    /// <summary>An id repeated in the body must be the one in the route.</summary>
    public static Guard Matches(this Guard guard, string field, string? inBody, string inRoute) =>
        guard.That(inBody is null || inBody == inRoute, field, $"is '{inBody}' in the body but '{inRoute}' in the route");
    public static Guard Matches(string field, string? inBody, string inRoute) => new Guard().Matches(field, inBody, inRoute);
}

public sealed record PurchaseOrderLineBody(string? ProductId, long? Quantity);

public sealed record PurchaseOrderBody(string? PoId, string? SupplierId, string? WarehouseId, DateOnly? ExpectedDate, IReadOnlyList<PurchaseOrderLineBody?>? Lines)
{
    public Application.Purchasing.CreatePurchaseOrderCommand ToCommand()
    {
        var required = Required.Present("supplierId", SupplierId).Present("warehouseId", WarehouseId).Present("expectedDate", ExpectedDate)
            .Present("lines", Lines);
        for (var i = 0; i < (Lines?.Count ?? 0); i++)
        {
            if (Lines![i] is not { } line) { required.Present($"lines[{i}]", null); continue; }
            required.Present($"lines[{i}].productId", line.ProductId).Present($"lines[{i}].quantity", line.Quantity);
        }
        required.ThrowIfAny();
        return new(PoId, SupplierId!, WarehouseId!, ExpectedDate!.Value, Lines!.Select(l => new OrderLine(l!.ProductId!, l.Quantity!.Value)).ToArray());
    }
}

/// <summary>A warehouse address as one string (its first line) or as the object with its parts.</summary>
public sealed class AddressBody : JsonConverter<Address>
{
    private sealed record Parts(string? Line1, string? City, string? PostalCode, string? Country);

    public override Address? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String: return new Address(reader.GetString(), null, null, null);
            case JsonTokenType.StartObject:
                try { return JsonSerializer.Deserialize<Parts>(ref reader, options) is { } p ? new Address(p.Line1, p.City, p.PostalCode, p.Country) : null; }
                catch (JsonException e) when (e.Path is { Length: > 1 } inner)
                {
                    // The nested read's path starts again at the address: named under it, as other nested fields are.
                    throw new JsonException(e.Message, "$.address" + inner[1..], e.LineNumber, e.BytePositionInLine, e);
                }
            default: throw new JsonException("must be a string or an object {line1, city, postalCode, country}");
        }
    }

    public override void Write(Utf8JsonWriter writer, Address value, JsonSerializerOptions options) =>
        JsonSerializer.Serialize(writer, new Parts(value.Line1, value.City, value.PostalCode, value.Country), options);
}
