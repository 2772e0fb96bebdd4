using Inventory.Application.Counts;
using Inventory.Application.Lists;
using Inventory.Application.Stock;

namespace Inventory.Application;

/// <summary>What operators read and count: the paged lists, and cycle counts of many rows at once.</summary>
public sealed partial class InventoryApplication
{
    public ProductList ProductList => field ??= new(Store, CatalogIndex);
    public WarehouseList WarehouseList => field ??= new(Store);
    public LocationContents LocationContents => field ??= new(Store);
    public ProductReservations ProductReservations => field ??= new(Store);
    public PurchaseOrderList PurchaseOrderList => field ??= new(Store);
    /// <summary>Each count adjusts as <see cref="Adjust"/> does (reorder trigger included), and updates location loads once at its end.</summary>
    public StockCount StockCount => field ??= new(Store,
        (catalog, afterMove) => new AdjustStock(Committer, catalog, Clock) { AfterDrop = OnStockLoweredAsync, AfterMove = afterMove },
        LocationLoads.ApplyAsync);
}
