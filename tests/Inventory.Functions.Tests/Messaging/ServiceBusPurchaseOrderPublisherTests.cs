using System.Text.Json;
using Azure.Messaging.ServiceBus;
using Inventory.Domain;
using Inventory.Functions.Messaging;
using Moq;

namespace Inventory.Functions.Tests.Messaging;

/// <summary>What a raised purchase order looks like on the purchase-orders queue.</summary>
public sealed class ServiceBusPurchaseOrderPublisherTests
{
    [Fact]
    public async Task Sends_the_order_as_json_keyed_by_its_poId_for_duplicate_detection()
    {
        var sender = new Mock<ServiceBusSender>();
        ServiceBusMessage? sent = null;
        sender.Setup(s => s.SendMessageAsync(It.IsAny<ServiceBusMessage>(), It.IsAny<CancellationToken>()))
            .Callback<ServiceBusMessage, CancellationToken>((m, _) => sent = m).Returns(Task.CompletedTask);
        var order = new PurchaseOrder
        {
            PoId = "RP-0123456789ABCDEF", SupplierId = "sup-7", WarehouseId = "wh-1", Status = PurchaseOrderStatus.Draft,
            Origin = PurchaseOrderOrigin.Replenishment, ExpectedDate = new DateOnly(2030, 3, 4), Lines = [new PurchaseOrderLine("p-1", 40)],
        };

        await new ServiceBusPurchaseOrderPublisher(sender.Object).PublishAsync(order);

        sender.Verify(s => s.SendMessageAsync(It.IsAny<ServiceBusMessage>(), It.IsAny<CancellationToken>()), Times.Once);
        Assert.NotNull(sent);
        Assert.Equal(("RP-0123456789ABCDEF", "application/json", "PurchaseOrderRaised"), (sent.MessageId, sent.ContentType, sent.Subject));
        using var json = JsonDocument.Parse(sent.Body.ToString());
        var body = json.RootElement;
        Assert.Equal("RP-0123456789ABCDEF", body.GetProperty("poId").GetString());
        Assert.Equal("sup-7", body.GetProperty("supplierId").GetString());
        Assert.Equal("DRAFT", body.GetProperty("status").GetString());
        Assert.Equal("REPLENISHMENT", body.GetProperty("origin").GetString());
        Assert.Equal("2030-03-04", body.GetProperty("expectedDate").GetString());
        var line = Assert.Single(body.GetProperty("lines").EnumerateArray().ToArray());
        Assert.Equal(("p-1", 40), (line.GetProperty("productId").GetString(), line.GetProperty("quantityOrdered").GetInt32()));
    }
}
