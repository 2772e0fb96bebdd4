using Microsoft.Azure.Cosmos;

namespace Inventory.Storage.Cosmos;

/// <summary>
/// Settings of the Cosmos store (section <c>Cosmos</c>): a connection string for the emulator or a key, or an account
/// endpoint reached with DefaultAzureCredential (managed identity) in Azure.
/// </summary>
public sealed class CosmosStoreOptions
{
    public const string Section = "Cosmos";

    /// <summary>Emulator or key-based account. For the emulator's self-signed certificate append <c>DisableServerCertificateValidation=True;</c>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>In Azure: <c>https://{account}.documents.azure.com:443/</c>.</summary>
    public string? AccountEndpoint { get; set; }

    public string DatabaseName { get; set; } = "inventory";

    /// <summary>Create the database and containers at start-up. Off in Azure, where infrastructure creates them.</summary>
    public bool CreateIfMissing { get; set; } = true;

    /// <summary>RU/s shared by the containers when start-up creates the database (the emulator; a provisioned account). Unset: none,
    /// as a serverless account requires, and each container then gets its own.</summary>
    public int? DatabaseThroughput { get; set; }

    /// <summary>Gateway for the emulator (it is the only mode the Linux emulator serves), Direct in Azure. Unset: Gateway with a
    /// connection string, Direct with an account endpoint.</summary>
    public ConnectionMode? ConnectionMode { get; set; }

    /// <summary>Unset: the account's default. Only a weaker level than the account's may be asked for.</summary>
    public ConsistencyLevel? ConsistencyLevel { get; set; }

    /// <summary>How many times a commit throttled (429) after the SDK's own retries is tried again, waiting RetryAfter each
    /// time. Queue and timer work only: HTTP calls (<see cref="CosmosPatience.Interactive"/>) never retry beyond the SDK.</summary>
    public int ThrottleRetries { get; set; } = 3;

    /// <summary>HTTP calls: the SDK's retries of a throttled request (the SDK default, kept for queue and timer work, is 9).</summary>
    public int InteractiveRateLimitRetries { get; set; } = 2;

    /// <summary>HTTP calls: the longest the SDK spends retrying one throttled request (the SDK default is 30 s).</summary>
    public TimeSpan InteractiveRateLimitWait { get; set; } = TimeSpan.FromSeconds(3);

    public ConnectionMode EffectiveConnectionMode =>
        ConnectionMode ?? (ConnectionString is { Length: > 0 } ? Microsoft.Azure.Cosmos.ConnectionMode.Gateway : Microsoft.Azure.Cosmos.ConnectionMode.Direct);
}
