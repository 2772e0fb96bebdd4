using Inventory.Testing;
using Inventory.Application;
using Inventory.Application.Stock;
using Inventory.Domain;

namespace Inventory.Bench;

/// <summary>Creates the warehouse, the pick face and the products the runs reserve, and checks the books afterwards.</summary>
public sealed class BenchCatalog(InventoryApplication app)
{
    public const string Warehouse = "BENCH-W";
    public const string Location = "BENCH-PICK";

    public async Task PrepareAsync()
    {
        await app.SaveWarehouse.ExecuteAsync(new Warehouse { WarehouseId = Warehouse, Name = "Benchmark warehouse" });
        await app.SaveLocation.ExecuteAsync(new Location { LocationId = Location, WarehouseId = Warehouse, Type = LocationType.PickFace });
    }

    public async Task AddProductsAsync(IReadOnlyList<string> productIds, long unitsEach, int parallel = 16)
    {
        await Parallel.ForEachAsync(productIds, new ParallelOptions { MaxDegreeOfParallelism = parallel }, async (id, ct) =>
        {
            await app.SaveProduct.ExecuteAsync(new Product { ProductId = id, Sku = "SKU-" + id, Name = "Bench " + id }, ct);
            await app.Receive.ExecuteAsync(new ReceiveCommand(id, Location, unitsEach, "opening-" + id, PerformedBy: "bench"), ct);
        });
    }

    /// <summary>Reserved never above on-hand, reserved exactly what was accepted, and the invariant checker agrees.</summary>
    public async Task<BooksCheck> CheckAsync(IReadOnlyList<string> productIds, long acceptedUnits, int parallel = 16)
    {
        long reserved = 0;
        var problems = new System.Collections.Concurrent.ConcurrentBag<string>();
        await Parallel.ForEachAsync(productIds, new ParallelOptions { MaxDegreeOfParallelism = parallel }, async (id, ct) =>
        {
            var stock = await app.Stock.GetStockAsync(id, ct);
            Interlocked.Add(ref reserved, stock.QuantityReserved);
            if (stock.QuantityReserved > stock.QuantityOnHand) problems.Add($"{id}: oversold, reserved {stock.QuantityReserved} of {stock.QuantityOnHand}");
            var report = await app.Invariants.CheckAsync(id, ct);
            foreach (var v in report.Violations.Concat(report.Shortages)) problems.Add($"{id}: {v}");
        });
        if (reserved != acceptedUnits) problems.Add($"reserved {reserved} units but {acceptedUnits} reservations were accepted");
        return new BooksCheck(reserved, problems.ToArray());
    }
}

public sealed record BooksCheck(long Reserved, IReadOnlyList<string> Problems)
{
    public bool Holds => Problems.Count == 0;
}
