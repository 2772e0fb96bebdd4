using Inventory.Domain;

namespace Inventory.Storage.Cosmos.Tests;

/// <summary>What Cosmos would refuse is refused before anything is sent, with the limit named.</summary>
public class CommitLimitTests
{
    [Fact]
    public async Task More_than_100_operations_are_refused_naming_the_limit()
    {
        var fakes = new CosmosFakes();
        var writes = Enumerable.Range(0, 101).Select(i => (DocumentWrite)new DocumentWrite.Create($"d{i}", "{}")).ToArray();

        var e = await Assert.ThrowsAsync<TransactionTooLargeException>(() => fakes.Store().CommitAsync(Collection.Products, "P1", writes));

        Assert.Contains("100 operations per transactional batch", e.Message, StringComparison.Ordinal);
        Assert.Empty(fakes.Batches);
    }

    [Fact]
    public async Task Exactly_100_operations_go_out_as_one_batch()
    {
        var fakes = new CosmosFakes();
        var writes = Enumerable.Range(0, 100).Select(i => (DocumentWrite)new DocumentWrite.Create($"d{i}", "{}")).ToArray();

        await fakes.Store().CommitAsync(Collection.Products, "P1", writes);

        Assert.Equal(100, Assert.Single(fakes.Batches).Count);
    }

    [Fact]
    public async Task A_batch_over_2_MB_is_refused_naming_the_limit()
    {
        var fakes = new CosmosFakes();
        var body = $$"""{"pad":"{{new string('x', 800 * 1024)}}"}""";
        var writes = Enumerable.Range(0, 3).Select(i => (DocumentWrite)new DocumentWrite.Upsert($"d{i}", body)).ToArray();

        var e = await Assert.ThrowsAsync<TransactionTooLargeException>(() => fakes.Store().CommitAsync(Collection.Products, "P1", writes));

        Assert.Contains("2097152 bytes (2 MB) per transactional batch", e.Message, StringComparison.Ordinal);
        Assert.Empty(fakes.Batches);
    }

    [Fact]
    public async Task One_item_over_2_MB_is_refused_naming_it()
    {
        var fakes = new CosmosFakes();
        var body = $$"""{"pad":"{{new string('x', 2 * 1024 * 1024)}}"}""";

        var e = await Assert.ThrowsAsync<TransactionTooLargeException>(() =>
            fakes.Store().CommitAsync(Collection.Products, "P1", [new DocumentWrite.Create("big", body)]));

        Assert.Contains("'big'", e.Message, StringComparison.Ordinal);
        Assert.Contains("per item", e.Message, StringComparison.Ordinal);
        Assert.Empty(fakes.Batches);
    }
}
