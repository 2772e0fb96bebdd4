using Inventory.Bench.Planning;

// Usage: dotnet run -c Release -- putaway
//        dotnet run -c Release -- scan [products=100000] [connection string, default Azurite on 10002]
//        dotnet run -c Release -- audit [connection string | memory]
var mode = args.FirstOrDefault() ?? "putaway";
return mode switch
{
    "putaway" => PutAwayBench.Run(),
    "scan" => await ScanBench.RunAsync(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 100_000,
        args.Length > 2 ? args[2] : "UseDevelopmentStorage=true"),
    "audit" => await AuditBench.RunAsync(args.Length > 1 ? args[1] : "memory"),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: putaway | scan [products] [connection-string] | audit [connection-string|memory]");
    return 2;
}
