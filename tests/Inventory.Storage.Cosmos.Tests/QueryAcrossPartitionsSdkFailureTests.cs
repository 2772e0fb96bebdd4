using System.Net;
using Microsoft.Azure.Cosmos;
using Moq;

namespace Inventory.Storage.Cosmos.Tests;

/// <summary>
/// Found in review: every other call of the Cosmos store runs inside <c>Guarded</c>, which turns what the SDK throws
/// (a CosmosException for a timeout or an outage, HttpRequestException, a timeout's cancellation) into the port's
/// errors; <c>QueryAcrossPartitionsAsync</c> does not, so the operator lists get the SDK's own exception, which the port
/// promises never to let through (hosts map only the port's errors to 503).
/// </summary>
public class QueryAcrossPartitionsSdkFailureTests
{
    private static CosmosFakes Throwing(Exception e)
    {
        var fakes = new CosmosFakes();
        var iterator = new Mock<FeedIterator>();
        iterator.Setup(i => i.HasMoreResults).Returns(true);
        iterator.Setup(i => i.ReadNextAsync(It.IsAny<CancellationToken>())).ThrowsAsync(e);
        fakes.Container.Setup(c => c.GetItemQueryStreamIterator(It.IsAny<QueryDefinition>(), It.IsAny<string>(), It.IsAny<QueryRequestOptions>()))
            .Returns(iterator.Object);
        return fakes;
    }

    public static TheoryData<string> Failures => ["cosmos-503", "cosmos-408", "http"];

    private static Exception Failure(string kind) => kind switch
    {
        "cosmos-503" => new CosmosException("down", HttpStatusCode.ServiceUnavailable, 0, "activity", 0),
        "cosmos-408" => new CosmosException("timed out", HttpStatusCode.RequestTimeout, 0, "activity", 0),
        _ => new HttpRequestException("connection reset"),
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public async Task An_SDK_failure_of_a_cross_partition_query_is_the_ports_unavailability(string kind)
    {
        var store = Throwing(Failure(kind)).Store();

        // The same failure on a read of the partition is translated (the contrast: that call is guarded).
        await Assert.ThrowsAsync<StoreUnavailableException>(() => store.ReadAsync(Collection.PurchaseOrders, "PO-1", ["po", "x"], []));
        var e = await Record.ExceptionAsync(() => store.QueryAcrossPartitionsAsync(Collection.PurchaseOrders, "po", 10, null));

        Assert.IsType<StoreUnavailableException>(e);
    }
}
