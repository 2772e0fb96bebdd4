using System.Text;
using System.Text.Json;
using Inventory.Application;
using Inventory.Domain;

namespace Inventory.Storage.Cosmos.Tests;

/// <summary>
/// An item is the document's own JSON plus id, partition key and docType; the body read back is the body written and
/// deserialises with DocumentJson, whichever of those properties the body already had.
/// </summary>
public class ItemShapeTests
{
    private static readonly ContainerLayout Products = CosmosLayout.For(Collection.Products);

    private static (JsonElement Item, StoredDocument Read) RoundTrip(ContainerLayout layout, string partition, string id, string body)
    {
        var bytes = CosmosItems.ToItem(layout, partition, id, body, ProductPartitionIds.Typed(new DocumentWrite.Create(id, body)).Type);
        var item = JsonDocument.Parse(bytes).RootElement.Clone();
        var stored = JsonDocument.Parse(CosmosFakes.Stored(Encoding.UTF8.GetString(bytes))).RootElement.Clone();
        return (item, CosmosItems.FromItem(stored));
    }

    [Fact]
    public void A_ledger_entry_carries_id_partition_and_type_and_reads_back_as_written()
    {
        var entry = new LedgerEntry
        {
            TxnId = "RESERVE:o1:L1", Sequence = 7, ProductId = "P1", LocationId = "L1", TxnType = TxnType.Reserve, Quantity = 3,
            ReservedDelta = 3, OnHandAfter = 10, ReservedAfter = 3, ReferenceId = "o1", ReferenceType = "Order", PerformedBy = "api",
            CreatedAt = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero),
        };
        var body = DocumentJson.Write(entry);
        var id = ProductPartitionIds.Ledger(entry.Sequence);

        var (item, read) = RoundTrip(Products, "P1", id, body);

        Assert.Equal((id, "P1", "ledger"), (item.GetProperty("id").GetString(), item.GetProperty("productId").GetString(),
            item.GetProperty("docType").GetString()));
        Assert.False(item.TryGetProperty("ttl", out _)); // nothing expires: old entries move to the archive
        Assert.Equal(body, read.Body);
        Assert.Equal(entry, DocumentJson.Read<LedgerEntry>(read.Body));
    }

    [Fact]
    public void A_balance_gets_the_partition_key_property_in_the_item_but_not_in_the_body_read_back()
    {
        var balance = new StockBalance { LocationId = "L1", WarehouseId = "W1", QuantityOnHand = 5 };
        var body = DocumentJson.Write(balance);

        var (item, read) = RoundTrip(Products, "P1", ProductPartitionIds.Balance("L1"), body);

        Assert.Equal("P1", item.GetProperty("productId").GetString());
        Assert.Equal("balance", item.GetProperty("docType").GetString());
        Assert.False(item.TryGetProperty("ttl", out _));
        Assert.Equal(body, read.Body);
        Assert.Equal("\"00000001-0000\"", read.ETag);
    }

    [Fact]
    public void A_hold_whose_body_carries_its_own_id_keeps_it()
    {
        var hold = new Application.Orders.HoldIndexEntry("o1", new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        var body = DocumentJson.Write(hold);

        var (item, read) = RoundTrip(CosmosLayout.For(Collection.Holds), hold.Partition, hold.Id, body);

        Assert.Equal(hold.Partition, item.GetProperty("day").GetString());
        Assert.Equal(body, read.Body);
        Assert.Equal(hold.Id, read.Id);
    }

    [Fact]
    public void Ids_with_characters_Cosmos_forbids_are_escaped_and_come_back_as_they_were()
    {
        var (item, read) = RoundTrip(CosmosLayout.For(Collection.Skus), "A/B#1", "x/y?z#w\\v%u", "{}");

        Assert.Equal("x%2Fy%3Fz%23w%5Cv%25u", item.GetProperty("id").GetString());
        Assert.Equal("x/y?z#w\\v%u", read.Id);
        Assert.Equal("A/B#1", item.GetProperty("sku").GetString());
        Assert.Equal("{}", read.Body);
    }

    [Fact]
    public void An_open_saga_entry_in_its_index_bucket_keeps_its_own_order_id()
    {
        var body = DocumentJson.Write(new Application.Orders.OpenSaga("reserve", "O1", new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero)));
        var partition = Application.Orders.OrderHeaders.OpenPartition("O1");

        var (item, read) = RoundTrip(CosmosLayout.For(Collection.Orders), partition, "reserve|O1", body);

        Assert.Equal(partition, item.GetProperty("orderId").GetString()); // Cosmos partitions by this property: it must be the partition
        Assert.Equal(body, read.Body);
        Assert.Equal("O1", DocumentJson.Read<Application.Orders.OpenSaga>(read.Body).OrderId);
    }

    [Fact]
    public void A_ledger_entry_in_an_escrow_bucket_keeps_its_product_id()
    {
        var entry = new LedgerEntry
        {
            TxnId = "RESERVE:o1:L1", Sequence = 2, ProductId = "P1", LocationId = "L1", TxnType = TxnType.Reserve, Quantity = 1,
            ReservedDelta = 1, OnHandAfter = 4, ReservedAfter = 1, ReferenceId = "o1", ReferenceType = "Order", PerformedBy = "api",
            CreatedAt = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero),
        };
        var body = DocumentJson.Write(entry);
        var bucket = new EscrowBucket("P1", 3).Partition;

        var (item, read) = RoundTrip(Products, bucket, ProductPartitionIds.Ledger(2), body);

        Assert.Equal(bucket, item.GetProperty("productId").GetString());
        Assert.Equal(body, read.Body);
        Assert.Equal(entry, DocumentJson.Read<LedgerEntry>(read.Body));
    }

    [Theory]
    [InlineData("""{"storeKept":{}}""")]
    [InlineData("""{"id":"other"}""")]
    [InlineData("""{"docType":"mine"}""")]
    [InlineData("""{"_etag":"x"}""")]
    [InlineData("""[1,2]""")]
    [InlineData("""not json""")]
    public void A_body_that_would_not_read_back_as_written_is_refused(string body) =>
        Assert.Throws<ArgumentException>(() => CosmosItems.ToItem(Products, "P1", "a", body, null));
}
