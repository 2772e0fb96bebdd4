using System.Net;
using Microsoft.Azure.Cosmos;
using Moq;

namespace Inventory.Storage.Cosmos.Tests;

/// <summary>
/// Every collection has its container, with the partition key the layout contract names (infra/ creates the same),
/// an indexing policy that excludes all but what queries use, and start-up creates what is missing.
/// </summary>
public class ContainerLayoutTests
{
    [Fact]
    public void Every_collection_has_one_container_with_the_agreed_partition_key()
    {
        Assert.Equal(Enum.GetValues<Collection>().Order(), CosmosLayout.Containers.Select(c => c.Collection).Order());
        Assert.Equal(
            [
                ("products", "/productId"), ("orders", "/orderId"), ("warehouses", "/warehouseId"), ("locations", "/locationId"),
                ("skus", "/sku"), ("holds", "/day"), ("purchaseOrders", "/poId"), ("quarantine", "/queue"), ("runs", "/job"), ("catalog", "/bucket"),
            ],
            Enum.GetValues<Collection>().Select(c => (CosmosLayout.For(c).Name, CosmosLayout.For(c).PartitionKeyPath)));
    }

    [Fact]
    public void Indexing_excludes_everything_but_the_partition_key_and_what_the_products_queries_use()
    {
        foreach (var layout in CosmosLayout.Containers)
        {
            var policy = layout.Properties().IndexingPolicy;
            Assert.Equal(["/*"], policy.ExcludedPaths.Select(p => p.Path));
            Assert.Contains(layout.PartitionKeyPath + "/?", policy.IncludedPaths.Select(p => p.Path));
            Assert.Equal(IndexingMode.Consistent, policy.IndexingMode);
        }
        var products = CosmosLayout.For(Collection.Products).Properties();
        Assert.Equal(["/productId/?", "/docType/?", "/createdAt/?", "/locationId/?"], products.IndexingPolicy.IncludedPaths.Select(p => p.Path));
        // Nothing expires (old ledger entries move to the archive instead of a TTL deleting them).
        Assert.All(CosmosLayout.Containers, c => Assert.Null(c.Properties().DefaultTimeToLive));
    }

    private static readonly string[] ProductIds = ["product", "head", "bal|L1", "res|o1", "op|receive|r1", "led|0001"];

    [Fact]
    public async Task Documents_are_typed_as_the_application_names_them_else_by_their_container()
    {
        var fakes = new CosmosFakes();
        var store = fakes.Store();
        // The product partition module types its writes; an untyped write gets its container's default; the Shopify
        // delivery is written by its own module, as the application writes it.
        await store.CommitAsync(Collection.Products, "P1", ProductIds.Select(id => Application.ProductPartitionIds.Typed(new DocumentWrite.Create(id, "{}"))).ToArray());
        await store.CommitAsync(Collection.Holds, "20260301", [new DocumentWrite.Create("0000638765|o1", "{}")]);
        await new Application.Orders.WebhookDeliveries(store).RecordAsync(new Application.Orders.ShopifyDelivery("w1", "orders/create", "o1", "reserved", DateTimeOffset.UnixEpoch));

        string[] Types(int batch) => fakes.Batches[batch].Select(c => c.Item!.Value.GetProperty("docType").GetString()!).ToArray();
        Assert.Equal(["product", "head", "balance", "reservation", "operation", "ledger"], Types(0));
        Assert.Equal(["hold"], Types(1));
        Assert.Equal(["shopifyDelivery"], Types(2)); // was "order": the adapter guessed types from ids it did not own
    }

    [Fact]
    public async Task Start_up_creates_the_database_and_every_container_with_its_policy()
    {
        var (fakes, database, created) = Provisioning(HttpStatusCode.Created);

        await fakes.Store(new CosmosStoreOptions { DatabaseName = "inv", DatabaseThroughput = 1000 }).EnsureCreatedAsync();

        fakes.Client.Verify(c => c.CreateDatabaseIfNotExistsAsync("inv", 1000, It.IsAny<RequestOptions>(), It.IsAny<CancellationToken>()));
        Assert.Equal(CosmosLayout.Containers.Select(c => (c.Name, c.PartitionKeyPath)), created.Select(c => (c.Id, c.PartitionKeyPath)));
        Assert.Equal(["/productId/?", "/docType/?", "/createdAt/?", "/locationId/?"], created[0].IndexingPolicy.IncludedPaths.Select(p => p.Path));
        database.Verify(d => d.GetContainer(It.IsAny<string>()), Times.Never);
    }

    [Fact]
    public async Task An_existing_container_with_another_policy_gets_the_layouts_policy()
    {
        var (fakes, database, _) = Provisioning(HttpStatusCode.OK, existing: new ContainerProperties("products", "/productId"));
        var replaced = new List<ContainerProperties>();
        var container = new Mock<Container>();
        container.Setup(c => c.ReplaceContainerAsync(It.IsAny<ContainerProperties>(), It.IsAny<ContainerRequestOptions>(), It.IsAny<CancellationToken>()))
            .Callback((ContainerProperties p, ContainerRequestOptions _, CancellationToken _) => replaced.Add(p))
            .ReturnsAsync(new Mock<ContainerResponse>().Object);
        database.Setup(d => d.GetContainer("products")).Returns(container.Object);

        await fakes.Store().EnsureCreatedAsync();

        var policy = Assert.Single(replaced);
        Assert.Equal(["/productId/?", "/docType/?", "/createdAt/?", "/locationId/?"], policy.IndexingPolicy.IncludedPaths.Select(p => p.Path));
        Assert.Null(policy.DefaultTimeToLive);
    }

    private static (CosmosFakes Fakes, Mock<Database> Database, List<ContainerProperties> Created) Provisioning(HttpStatusCode status,
        ContainerProperties? existing = null)
    {
        var fakes = new CosmosFakes();
        var database = new Mock<Database>();
        var created = new List<ContainerProperties>();
        fakes.Client.Setup(c => c.CreateDatabaseIfNotExistsAsync(It.IsAny<string>(), It.IsAny<int?>(), It.IsAny<RequestOptions>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new Mock<DatabaseResponse>().Object);
        fakes.Client.Setup(c => c.GetDatabase(It.IsAny<string>())).Returns(database.Object);
        database.Setup(d => d.CreateContainerIfNotExistsAsync(It.IsAny<ContainerProperties>(), It.IsAny<int?>(), It.IsAny<RequestOptions>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((ContainerProperties p, int? _, RequestOptions _, CancellationToken _) =>
            {
                created.Add(p);
                var response = new Mock<ContainerResponse>();
                response.Setup(r => r.StatusCode).Returns(status);
                // Only the products container is found different; the others match the layout as the service returns them.
                response.Setup(r => r.Resource).Returns(existing is not null && p.Id == existing.Id ? existing : p);
                return response.Object;
            });
        return (fakes, database, created);
    }
}
