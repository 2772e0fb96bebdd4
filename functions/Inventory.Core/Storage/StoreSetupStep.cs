namespace Inventory.Storage;

/// <summary>
/// What an adapter asks to run once when a host starts: create its tables, containers or database when its settings
/// say so (local runs; in Azure the infrastructure creates them), or probe the store. Adapters register these next to
/// their store, so a host runs them without knowing which store it has.
/// </summary>
/// <param name="What">What is set up, for the host's log ("the tables").</param>
/// <param name="Enabled">False when the adapter's settings ask for nothing.</param>
/// <param name="Timeout">How long the host waits before logging the store as unreachable and starting anyway.</param>
public sealed record StoreSetupStep(string What, bool Enabled, TimeSpan Timeout, Func<CancellationToken, Task> RunAsync);
