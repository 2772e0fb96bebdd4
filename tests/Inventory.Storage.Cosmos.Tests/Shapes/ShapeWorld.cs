using Inventory.Application;
using Inventory.Application.Escrow;
using Inventory.Application.Replenishment;
using Inventory.Domain;
using Inventory.Storage;
using Inventory.Testing;

namespace Inventory.Storage.Cosmos.Tests.Shapes;

/// <summary>
/// The application built as hosts build it (<see cref="InventoryApplication"/> over <c>AddInventory</c>), over a
/// <see cref="CosmosShapeStore"/>: a warehouse W1 with a pick face and bulk, products A and B stocked there. Names and
/// descriptions carry what merchants type (accents, an emoji, quotes, '&lt;', '&amp;', '+'), so text escaping is tried too.
/// </summary>
internal sealed class ShapeWorld
{
    public static readonly DateTimeOffset Start = new(2026, 3, 2, 9, 30, 0, TimeSpan.Zero);
    public const string Pick = "W1-PICK-01", Bulk = "W1-BULK-01";
    /// <summary>Product ids with every character the API accepts besides letters and digits.</summary>
    public const string A = "SKU-A:2026.v1@shop", B = "SKU-B_2026.v2";

    public CosmosShapeStore Store { get; } = new();
    public ManualClock Clock { get; } = new(Start);
    public InventoryApplication App { get; }

    private ShapeWorld(EscrowOptions? escrow, LedgerOptions? ledger, ILedgerArchive? archive) =>
        App = new InventoryApplication(Store, Clock, new ConcurrencyOptions { BaseDelay = TimeSpan.Zero, MaxDelay = TimeSpan.Zero },
            ledger: ledger, archive: archive)
        {
            EscrowOptions = escrow ?? new EscrowOptions(),
            ReplenishmentOptions = new ReplenishmentOptions { DefaultWarehouseId = "W1", ScanPageSize = 2 },
        };

    public static async Task<ShapeWorld> CreateAsync(EscrowOptions? escrow = null, LedgerOptions? ledger = null, ILedgerArchive? archive = null,
        long stockA = 100, long stockB = 40)
    {
        var world = new ShapeWorld(escrow, ledger, archive);
        var app = world.App;
        await app.SaveWarehouse.ExecuteAsync(new Warehouse
        {
            WarehouseId = "W1", Name = "Entrepôt « Nord » & Co", Timezone = "Europe/Paris",
            Address = new Address("1 rue de l'Église", "Lille", "59000", "FR"),
        });
        await app.SaveLocation.ExecuteAsync(new Location
        {
            LocationId = Pick, WarehouseId = "W1", Type = LocationType.PickFace, MaxWeightKg = 250.5m, MaxVolumeCubicCm = 1_000_000,
        });
        await app.SaveLocation.ExecuteAsync(new Location { LocationId = Bulk, WarehouseId = "W1", Type = LocationType.Bulk, MaxWeightKg = 5000, MaxVolumeCubicCm = 50_000_000 });
        await app.SaveProduct.ExecuteAsync(Product(A));
        await app.SaveProduct.ExecuteAsync(Product(B));
        if (stockA > 0) await app.Receive.ExecuteAsync(new(A, Pick, stockA, "opening-A"));
        if (stockB > 0) await app.Receive.ExecuteAsync(new(B, Bulk, stockB, "opening-B"));
        return world;
    }

    /// <summary>A product as a merchant fills it in: a SKU with '/' and '#', a name with accents, quotes, markup and an emoji.</summary>
    public static Product Product(string id, bool autoReplenish = false, long reorderPoint = 0) => new()
    {
        ProductId = id, Sku = $"{id}/10-PK#1", Name = $"Café crème {id} 250 g « bio » <b>&</b> 🍫 “best” l'été +1",
        CategoryId = "grocery.dry", UnitCost = 12.34m, UnitWeightGrams = 275, Dimensions = new(125, 80, 33),
        ReorderPoint = reorderPoint, ReorderQuantity = 60, LeadTimeDays = 5, AutoReplenish = autoReplenish, PreferredSupplierId = "SUP-1",
    };

    /// <summary>Writes seen in a collection whose partition satisfies <paramref name="partition"/>: a test shows it reached the shape it is about.</summary>
    public IReadOnlyList<SeenWrite> Writes(Collection collection, Func<string, bool>? partition = null) =>
        Store.Seen.Where(w => w.Collection == collection && (partition is null || partition(w.Partition))).ToArray();
}
