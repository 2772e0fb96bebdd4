using System.Text.Json;

namespace Inventory.Functions.Tests;

/// <summary>
/// Issue 14: a Function App scales out while a flash sale is on, so instances join cold. The app runs without dynamic PGO,
/// whose instrumented tier made cold hosts serve a fifth of their later rate for the first 15 s (bench/README.md, "Warm
/// hosts"): the setting travels in the worker's runtimeconfig.json, which the Functions host starts it with.
/// </summary>
public sealed class ColdInstanceTests
{
    [Fact]
    public void The_worker_starts_without_dynamic_pgo()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Inventory.Functions.runtimeconfig.json");
        using var config = JsonDocument.Parse(File.ReadAllText(path));
        var properties = config.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");
        Assert.True(properties.TryGetProperty("System.Runtime.TieredPGO", out var pgo), $"{path} sets no System.Runtime.TieredPGO");
        Assert.False(pgo.GetBoolean());
    }
}
