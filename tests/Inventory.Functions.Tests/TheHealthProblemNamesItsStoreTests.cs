using System.Net;
using System.Text.Json;
using Inventory.Functions.Tests.Support;

namespace Inventory.Functions.Tests;

/// <summary>
/// Found in review: docs/http-api.md (Errors) lists store-unavailable as 503 with the member store ("the kind of store
/// only ... on any route"), and every other route's outage problem carries it (StoreOutageTests). GET /api/health with
/// the store down answers store-unavailable built by Problems.Of in ServiceFunctions.Health, which never adds store:
/// the one route a probe or an operator reads to learn which store is down names it only inside the detail text.
/// </summary>
public sealed class TheHealthProblemNamesItsStoreTests(TheHealthProblemNamesItsStoreTests.StoreDown host)
    : IClassFixture<TheHealthProblemNamesItsStoreTests.StoreDown>
{
    public sealed class StoreDown : LocalHostFactory
    {
        protected override string? ConnectionString =>
            "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;TableEndpoint=http://127.0.0.1:9/devstoreaccount1;";
        protected override bool CreateTables => false;
    }

    [Fact]
    public async Task The_503_of_health_names_the_store_as_every_route_does()
    {
        using var response = await host.CreateClient().GetAsync("/api/health");
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("urn:inventory:problem:store-unavailable", problem.GetProperty("type").GetString());
        Assert.True(problem.TryGetProperty("store", out var store), $"no store member in the health problem: {problem}");
        Assert.Equal("Azure Table Storage", store.GetString());
    }
}
