using Inventory.Application;
using Inventory.Application.Purchasing;
using Inventory.Storage;
using Inventory.Testing;

namespace Inventory.Core.Tests.Purchasing;

/// <summary>
/// Found in review of 6727b21: the quarantine's key moved from <c>msg|{messageId}</c> to <c>msg|{messageId}|{bodyHash}</c>
/// with no regard for the documents already stored. A poison message quarantined before the change and delivered again
/// after it (its completion lost, a deployment in between; Service Bus delivers at least once) is written a second time
/// under the new key: the operator's list shows one message twice, against "a poison message redelivered is kept once"
/// (docs/receiving.md). A fix: before writing under the new key, look for (or move) a document under the old key
/// <c>msg|{messageId}</c> whose body is the same, or migrate the old keys.
/// </summary>
public class APoisonMessageQuarantinedBeforeTheBodyKeyIsKeptOnceTests
{
    [Fact]
    public async Task A_message_quarantined_under_its_id_alone_and_redelivered_is_listed_once()
    {
        var store = new InMemoryDocumentStore();
        var app = new InventoryApplication(store);
        const string body = """{"poId":"PO1","receiptId":"R1","warehouseId":"W1","receivedBy":"dock","lines":[{"productId":"A","quantity":4}]}""";
        // As the build before 2026-12-02 stored it: one document per message id.
        var earlier = new QuarantinedMessage("receipts", "msg-1", "invalid-transition", "refused", body, 1, new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero));
        await store.CommitAsync(Collection.Quarantine, "receipts", [new DocumentWrite.Upsert("msg|msg-1", DocumentJson.Write(earlier))]);

        await app.Quarantine.PutAsync("receipts", "msg-1", "invalid-transition", "refused", body, 2); // the same message, delivered again

        var listed = await app.Quarantine.ListAsync("receipts");
        Assert.True(listed.Count == 1,
            $"one poison message (msg-1, same body) delivered twice is listed {listed.Count} times: "
            + string.Join("; ", listed.Select(m => $"{m.MessageId} delivery {m.DeliveryCount}")));
    }
}
