using System.Text.Json;
using Inventory.Domain;
using Inventory.Functions.Api;
using Inventory.Functions.Api.Contracts;

namespace Inventory.Functions.Tests.Contracts;

/// <summary>Issue 14: an escrow bucket's ledger entry goes out under its product's id, naming the bucket; the product's own names none.</summary>
public class LedgerEntryResponseTests
{
    private static LedgerEntry Entry(string partition) => new()
    {
        TxnId = "RESERVE:O1:L1", Sequence = 7, ProductId = partition, LocationId = "L1", TxnType = TxnType.Reserve, Quantity = 3,
        ReservedDelta = 3, OnHandAfter = 25, ReservedAfter = 3, ReferenceId = "O1", ReferenceType = "Order", PerformedBy = "api",
        CreatedAt = DateTimeOffset.UnixEpoch,
    };

    [Fact]
    public void A_buckets_entry_names_the_product_and_the_bucket()
    {
        var json = JsonSerializer.SerializeToElement(LedgerEntryResponse.From(Entry("hot-1~3")), ApiJson.Responses);

        Assert.Equal(("hot-1", 3, 7L), (json.GetProperty("productId").GetString(), json.GetProperty("bucket").GetInt32(), json.GetProperty("sequence").GetInt64()));
    }

    [Fact]
    public void The_products_own_entry_has_no_bucket()
    {
        var json = JsonSerializer.SerializeToElement(LedgerEntryResponse.From(Entry("hot-1")), ApiJson.Responses);

        Assert.Equal("hot-1", json.GetProperty("productId").GetString());
        Assert.False(json.TryGetProperty("bucket", out _));
    }
}
