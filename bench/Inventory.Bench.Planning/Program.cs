using Inventory.Bench.Planning;

// Usage: dotnet run -c Release -- putaway
//        dotnet run -c Release -- scan [products=100000] [connection string, default Azurite on 10002]
//        dotnet run -c Release -- audit [connection string | memory]
//        dotnet run -c Release -- scan-history [products=2000] [histories=0,100,1000] [memory | connection string]
var mode = args.FirstOrDefault() ?? "putaway";
return mode switch
{
    "putaway" => PutAwayBench.Run(),
    "scan" => await ScanBench.RunAsync(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 100_000,
        args.Length > 2 ? args[2] : "UseDevelopmentStorage=true"),
    "audit" => await AuditBench.RunAsync(args.Length > 1 ? args[1] : "memory"),
    "scan-history" => await HistoryScanBench.RunAsync(
        args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 2000,
        (args.Length > 2 ? args[2] : "0,100,1000").Split(',').Select(h => int.Parse(h, System.Globalization.CultureInfo.InvariantCulture)).ToArray(),
        args.Length > 3 ? args[3] : "memory"),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: putaway | scan [products] [connection-string] | audit [connection-string|memory] | scan-history [products] [histories] [memory|connection-string]");
    return 2;
}
