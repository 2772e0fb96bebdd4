using Inventory.Storage;

namespace Inventory.Storage.Cosmos.Tests.Shapes;

/// <summary>
/// The shape check itself: each kind of shape Cosmos refuses or changes is reported, with its document, and a good
/// one is not. Without this the workflow tests could pass because the check never fires.
/// </summary>
public class ShapeCheckReportsWhatCosmosWouldNotKeepTests
{
    [Theory]
    [InlineData(Collection.Products, "P1", "head", """{"docType":"mine"}""", "reserved by the Cosmos store")]
    [InlineData(Collection.Products, "P1", "head", """{"id":"other"}""", "the store sets it to")]
    [InlineData(Collection.Products, "P1", "head", """{"ticks":9007199254740993}""", "$.ticks = 9007199254740993")]
    [InlineData(Collection.Products, "P1", "head", """{"cost":0.12345678901234567890123}""", "$.cost")]
    public async Task A_shape_Cosmos_would_refuse_or_change_is_reported_with_its_document(Collection collection, string partition, string id, string body, string reason)
    {
        var store = new CosmosShapeStore();

        await store.CommitAsync(collection, partition, [new DocumentWrite.Create(id, body)]);

        var problem = Assert.Single(store.Problems);
        Assert.Contains(reason, problem.Reason, StringComparison.Ordinal);
        Assert.Equal((partition, id, body), (problem.Partition, problem.Id, problem.Body));
        Assert.ThrowsAny<Exception>(store.AssertNoProblems);
    }

    [Fact]
    public async Task An_id_past_1023_bytes_is_reported_even_when_the_store_below_refuses_it_first()
    {
        var store = new CosmosShapeStore();
        var id = "change|" + new string('9', 1017); // 1,024 bytes

        await Record.ExceptionAsync(() => store.CommitAsync(Collection.Orders, "O1", [new DocumentWrite.Create(id, "{}")]));

        Assert.Contains("1024 bytes once escaped", Assert.Single(store.Problems).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_partition_key_value_past_2_KB_is_reported_even_when_the_store_below_refuses_it_first()
    {
        var store = new CosmosShapeStore();
        var partition = new string('é', 1025); // 2,050 bytes of UTF-8

        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.CommitAsync(Collection.Skus, partition, [new DocumentWrite.Create("claim", "{}")]));

        Assert.Contains("2048", Assert.Single(store.Problems).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_body_read_back_as_another_text_of_the_same_values_is_no_problem_but_is_kept()
    {
        var store = new CosmosShapeStore();
        const string body = """{"name":"Caf\u00E9 \u003Cb\u003E","at":"2026-03-01T12:00:00\u002B00:00","n":1.50}""";

        await store.CommitAsync(Collection.Products, "P1", [new DocumentWrite.Create("product", body)]);

        store.AssertNoProblems();
        // The mapping writes only the escapes JSON requires: the values are the same, the text is not.
        Assert.Equal("""{"name":"Café <b>","at":"2026-03-01T12:00:00+00:00","n":1.50}""", Assert.Single(store.Rewritten).Body);
    }

    [Fact]
    public async Task A_body_naming_another_value_for_the_partition_key_property_reads_back_as_written()
    {
        var store = new CosmosShapeStore();

        await store.CommitAsync(Collection.Orders, "open|07", [new DocumentWrite.Upsert("reserve|O1", """{"kind":"reserve","orderId":"O1","n":1.50,"big":9007199254740992}""")]);

        store.AssertNoProblems();
        Assert.Single(store.Seen);
    }
}
