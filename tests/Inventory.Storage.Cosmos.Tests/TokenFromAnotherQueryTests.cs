namespace Inventory.Storage.Cosmos.Tests;

/// <summary>
/// Found in review: a Cosmos page token is the last id alone (<c>PageTokens</c>), checked only against the query's
/// prefix, so a token one partition's query issued is taken by the same prefix's query on another partition (or
/// collection) and starts that query at a foreign position. The port (and the Table and in-memory stores, whose tokens
/// carry their query's partition and collection) refuse a token "issued for another query" with
/// <see cref="InvalidContinuationTokenException"/>.
/// </summary>
public class TokenFromAnotherQueryTests
{
    private static string Item(string id) =>
        CosmosFakes.Stored($$"""{"n":1,"id":"{{id}}","productId":"P1","docType":"x","storeAdded":["id","productId"]}""", $"\"etag-{id}\"");

    [Fact]
    public async Task A_token_issued_for_another_partitions_query_is_refused()
    {
        var fakes = new CosmosFakes();
        fakes.QueryPages.Enqueue([CosmosFakes.Page(3, Item("led|1"), Item("led|2"))]);
        var store = fakes.Store();
        var token = (await store.QueryAsync(Collection.Products, "P1", "led|", 1, null)).ContinuationToken;
        Assert.NotNull(token);

        await Assert.ThrowsAsync<InvalidContinuationTokenException>(() => store.QueryAsync(Collection.Products, "P2", "led|", 1, token));
        await Assert.ThrowsAsync<InvalidContinuationTokenException>(() => store.QueryAsync(Collection.Runs, "P1", "led|", 1, token));
    }
}
