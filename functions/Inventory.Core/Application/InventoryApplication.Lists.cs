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
    /// <summary>Settings of cycle counts: how large a count is applied in its request, and the time budgets. Set before first use.</summary>
    public CountOptions CountOptions { get; init; } = new();

    /// <summary>Each count adjusts as <see cref="Adjust"/> does (reorder trigger included), and updates location loads once per pass.</summary>
    public StockCount StockCount => field ??= new(NewCountPass, RecordedCounts, CountOptions, AfterStockCommit);

    public RecordedCounts RecordedCounts => field ??= new(new CountBook(Store), NewCountPass, AfterStockCommit, CountOptions, Clock);

    /// <summary>A pass reads each location once (<see cref="LocationReads"/>), so every count gets its own.</summary>
    private CountPass NewCountPass() => new(Committer, new Catalog.CatalogQueries(new LocationReads(Store)), Clock, AfterStockCommit);
}
