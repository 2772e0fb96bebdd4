using System.Net;
using System.Text.Json;
using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Inventory.Functions.Tests.Support;
using Inventory.Storage;
using Inventory.Storage.Cosmos;
using Inventory.Storage.Tables;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.DependencyInjection;

namespace Inventory.Functions.Tests;

/// <summary>
/// Found in review: in Azure every store client authenticates with the app's managed identity (DefaultAzureCredential,
/// docs/deploy.md), and when no token can be had (the identity endpoint down or throttled, a role or client id not yet
/// in place) the SDK throws Azure.Identity's AuthenticationFailedException / CredentialUnavailableException. Neither
/// adapter maps it to a port error (CosmosDocumentStore.StoreFailure and TableDocumentStore.StoreFailure answer null),
/// so every HTTP route answers 500 internal-error ("it may or may not have been applied") instead of the 503
/// store-unavailable problem with Retry-After that issue 13 (7) promises for a store the app cannot reach, while
/// /api/health on the same host says 503.
/// </summary>
public sealed class AStoreTheAppIdentityGetsNoTokenForIsA503Tests(
    AStoreTheAppIdentityGetsNoTokenForIsA503Tests.CosmosWithoutToken cosmos,
    AStoreTheAppIdentityGetsNoTokenForIsA503Tests.TableWithoutToken table)
    : IClassFixture<AStoreTheAppIdentityGetsNoTokenForIsA503Tests.CosmosWithoutToken>, IClassFixture<AStoreTheAppIdentityGetsNoTokenForIsA503Tests.TableWithoutToken>
{
    private const string ClosedTablePort =
        "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;TableEndpoint=http://127.0.0.1:9/devstoreaccount1;";

    /// <summary>What DefaultAzureCredential throws when the managed identity endpoint gives no token.</summary>
    private sealed class NoToken : TokenCredential
    {
        private static CredentialUnavailableException Failure() => new CredentialUnavailableException(
            "ManagedIdentityCredential authentication unavailable. No response received from the managed identity endpoint.");

        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) => throw Failure();

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            ValueTask.FromException<AccessToken>(Failure());
    }

    /// <summary>The Cosmos store as Azure runs it (account endpoint + identity), whose identity gets no token.</summary>
    public sealed class CosmosWithoutToken : LocalHostFactory
    {
        protected override string? ConnectionString => ClosedTablePort;
        protected override bool CreateTables => false;

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            var options = new CosmosStoreOptions { AccountEndpoint = "https://127.0.0.1:9/", DatabaseName = "inventory", CreateIfMissing = false };
            static CosmosClient Client() => new("https://127.0.0.1:9/", new NoToken(), new CosmosClientOptions { ConnectionMode = ConnectionMode.Gateway });
            builder.ConfigureTestServices(services => services.AddSingleton<IDocumentStore>(new CosmosDocumentStore(Client(), options, interactiveClient: Client())));
        }
    }

    /// <summary>The Table store as Azure runs it (Store__TableServiceUri + identity), whose identity gets no token.</summary>
    public sealed class TableWithoutToken : LocalHostFactory
    {
        protected override string? ConnectionString => ClosedTablePort;
        protected override bool CreateTables => false;

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            var options = new TableStoreOptions { TableServiceUri = "https://127.0.0.1:9/", CreateTablesIfMissing = false };
            builder.ConfigureTestServices(services => services.AddSingleton<IDocumentStore>(
                new TableDocumentStore(new TableServiceClient(new Uri(options.TableServiceUri), new NoToken()), options)));
        }
    }

    private static async Task<(HttpStatusCode Status, string? RetryAfter, JsonElement Body)> SendAsync(HttpClient api, HttpMethod method, string path, string? json = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null) request.Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        using var response = await api.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, response.Headers.RetryAfter?.ToString(), JsonDocument.Parse(text).RootElement.Clone());
    }

    public static TheoryData<string, string, string?> Routes => new()
    {
        { "GET", "/api/products/no-token-1/stock", null },
        { "POST", "/api/stock/receipts", """{"receiptId":"r-no-token","productId":"no-token-2","locationId":"l-1","quantity":1}""" },
    };

    private static async Task AssertStoreUnavailable(LocalHostFactory host, string store, string method, string path, string? json)
    {
        var api = host.CreateClient();
        var health = await SendAsync(api, HttpMethod.Get, "/api/health");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.Status); // the host itself knows the store cannot be reached

        var (status, retryAfter, body) = await SendAsync(api, new HttpMethod(method), path, json);

        Assert.True(status == HttpStatusCode.ServiceUnavailable, $"{store}, {method} {path}: expected 503 store-unavailable, got {(int)status} {body}");
        Assert.Equal("urn:inventory:problem:store-unavailable", body.GetProperty("type").GetString());
        Assert.NotNull(retryAfter);
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public Task Cosmos_without_a_token_is_store_unavailable(string method, string path, string? json) =>
        AssertStoreUnavailable(cosmos, "Azure Cosmos DB", method, path, json);

    [Theory]
    [MemberData(nameof(Routes))]
    public Task Table_Storage_without_a_token_is_store_unavailable(string method, string path, string? json) =>
        AssertStoreUnavailable(table, "Azure Table Storage", method, path, json);
}
