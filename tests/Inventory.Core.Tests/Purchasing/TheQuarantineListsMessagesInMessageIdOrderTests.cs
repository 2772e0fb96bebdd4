using Inventory.Application.Purchasing;
using Inventory.Testing;

namespace Inventory.Core.Tests.Purchasing;

/// <summary>
/// Found in review of 6727b21: the quarantine's document key became <c>msg|{messageId}|{bodyHash}</c>. The store lists a
/// partition in key order, and '|' sorts after every character an id may hold (letters, digits and . _ : @ -), so a
/// message id sorts after every id it is a prefix of: "rcv-1" is now listed after "rcv-10". <c>Quarantine.PageAsync</c>
/// still promises "a page of the queue's messages in message id order" (and an operator paging
/// <c>GET /api/quarantine/{queue}</c> finds a message where its id is). A fix: a separator that sorts below every id
/// character (e.g. a control-free low character such as '!'), or a fixed-width encoding of the id before the hash.
/// </summary>
public class TheQuarantineListsMessagesInMessageIdOrderTests
{
    [Fact]
    public async Task A_message_id_is_listed_before_the_ids_it_is_a_prefix_of()
    {
        var app = new InventoryApplication(new InMemoryDocumentStore());
        await app.Quarantine.PutAsync("receipts", "rcv-10", "invalid-transition", "refused", """{"receiptId":"r-10"}""", 1);
        await app.Quarantine.PutAsync("receipts", "rcv-1", "invalid-transition", "refused", """{"receiptId":"r-1"}""", 1);
        await app.Quarantine.PutAsync("receipts", "rcv-1.5", "invalid-transition", "refused", """{"receiptId":"r-1.5"}""", 1);

        var listed = (await app.Quarantine.ListAsync("receipts")).Select(m => m.MessageId).ToArray();

        string[] inIdOrder = ["rcv-1", "rcv-1.5", "rcv-10"];
        Assert.True(listed.SequenceEqual(inIdOrder),
            $"the quarantine is documented to list in message id order ({string.Join(", ", inIdOrder)}), but listed {string.Join(", ", listed)}");
    }
}
