using Inventory.Application.Counts;
using Inventory.Application.Lists;

namespace Inventory.Application;

/// <summary>What operators read and count: the paged lists, and cycle counts of many rows at once.</summary>
public sealed partial class InventoryApplication
{
    public ProductList ProductList => field ??= new(Store);
    public WarehouseList WarehouseList => field ??= new(Store);
    public LocationContents LocationContents => field ??= new(Store);
    public ProductReservations ProductReservations => field ??= new(Store);
    public PurchaseOrderList PurchaseOrderList => field ??= new(Store);
    public StockCount StockCount => field ??= new(Adjust, Catalog);
}
