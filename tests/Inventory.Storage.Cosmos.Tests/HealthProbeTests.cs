using System.Net;
using Microsoft.Azure.Cosmos;
using Moq;

namespace Inventory.Storage.Cosmos.Tests;

/// <summary>
/// Health is a 1 RU point read of an id no document has: 404 with sub-status 0 is healthy. A 404 with a sub-status
/// (1003: database or container missing) is a configuration error, in health and on any read, never "not found".
/// </summary>
public class HealthProbeTests
{
    private static ResponseMessage NotFound(int subStatus)
    {
        var response = new ResponseMessage(HttpStatusCode.NotFound);
        response.Headers["x-ms-request-charge"] = "1";
        if (subStatus != 0) response.Headers["x-ms-substatus"] = subStatus.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return response;
    }

    private static CosmosFakes ReadsReturn(ResponseMessage response)
    {
        var fakes = new CosmosFakes();
        fakes.Container.Setup(c => c.ReadItemStreamAsync(It.IsAny<string>(), It.IsAny<PartitionKey>(), It.IsAny<ItemRequestOptions>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(response);
        return fakes;
    }

    [Fact]
    public async Task The_probe_is_a_point_read_of_the_fixed_id_and_a_missing_item_is_healthy()
    {
        var fakes = ReadsReturn(NotFound(0));

        await fakes.Store().PingAsync();

        fakes.Container.Verify(c => c.ReadItemStreamAsync(CosmosDocumentStore.ProbeId, new PartitionKey(CosmosDocumentStore.ProbeId),
            It.IsAny<ItemRequestOptions>(), It.IsAny<CancellationToken>()), Times.Once);
        fakes.Container.Verify(c => c.ReadContainerStreamAsync(It.IsAny<ContainerRequestOptions>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task A_missing_container_or_database_fails_the_probe_as_a_configuration_error()
    {
        var e = await Assert.ThrowsAsync<StoreMisconfiguredException>(() => ReadsReturn(NotFound(1003)).Store().PingAsync());
        Assert.Equal(404, e.Status);
        Assert.Contains("sub-status 1003", e.Message, StringComparison.Ordinal);
        Assert.Contains("configuration", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_container_on_a_point_read_is_a_configuration_error_not_a_missing_document()
    {
        await Assert.ThrowsAsync<StoreMisconfiguredException>(() =>
            ReadsReturn(NotFound(1003)).Store().ReadAsync(Collection.Products, "P1", ["product"], []));
        Assert.Empty(await ReadsReturn(NotFound(0)).Store().ReadAsync(Collection.Products, "P1", ["product"], []));
    }

    [Fact]
    public async Task A_missing_container_on_a_query_is_a_configuration_error()
    {
        var fakes = new CosmosFakes();
        fakes.QueryPages.Enqueue([NotFound(1003)]);
        await Assert.ThrowsAsync<StoreMisconfiguredException>(() => fakes.Store().ReadAsync(Collection.Products, "P1", ["a", "b"], []));
    }

    [Fact]
    public async Task Another_failure_of_the_probe_is_the_store_being_unavailable()
    {
        await Assert.ThrowsAsync<StoreUnavailableException>(() => ReadsReturn(new ResponseMessage(HttpStatusCode.ServiceUnavailable)).Store().PingAsync());
    }
}
