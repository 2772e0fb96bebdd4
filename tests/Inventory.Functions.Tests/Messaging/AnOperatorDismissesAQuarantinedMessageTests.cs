
namespace Inventory.Functions.Tests.Messaging;

/// <summary>
/// Found in review (the operator's quarantine). A quarantined message stayed listed for good: once the operator had
/// dealt with it (created the missing location and sent the receipt again, called the supplier), nothing told the handled
/// from the new. Each message is now listed with its <c>quarantineId</c>, and the operator dismisses it by that id.
/// </summary>
public sealed class AnOperatorDismissesAQuarantinedMessageTests
{
    private readonly QuarantineCalls calls = new();

    [Fact]
    public async Task A_dismissed_message_leaves_the_list_and_the_others_stay()
    {
        await calls.Functions.ReceivePurchaseOrder("{\"poId\":", "m-1", 1, default);
        await calls.Functions.ReceivePurchaseOrder("{\"poId\":", "m-2", 1, default);
        var listed = (await calls.CallAsync("GET", "receipts", null)).Body.GetProperty("messages").EnumerateArray().ToArray();
        var first = listed.Single(m => m.GetProperty("messageId").GetString() == "m-1").GetProperty("quarantineId").GetString()!;

        var dismissed = await calls.CallAsync("DELETE", "receipts", first);

        Assert.Equal(204, dismissed.Status);
        var left = (await calls.CallAsync("GET", "receipts", null)).Body.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("messageId").GetString());
        Assert.Equal(["m-2"], left);
    }

    [Fact]
    public async Task Dismissing_a_message_not_kept_is_a_404_problem_and_another_queue_is_not_found()
    {
        await calls.Functions.ReceivePurchaseOrder("{\"poId\":", "m-1", 1, default);
        var id = (await calls.CallAsync("GET", "receipts", null)).Body.GetProperty("messages")[0].GetProperty("quarantineId").GetString()!;
        await calls.CallAsync("DELETE", "receipts", id);

        var again = await calls.CallAsync("DELETE", "receipts", id);
        var otherQueue = await calls.CallAsync("DELETE", "purchase-order-events", id);
        var unknownQueue = await calls.CallAsync("DELETE", "no-such-queue", id);

        Assert.Equal((404, "message-not-found"), (again.Status, again.Body.GetProperty("code").GetString()));
        Assert.Equal((404, "message-not-found"), (otherQueue.Status, otherQueue.Body.GetProperty("code").GetString()));
        Assert.Equal((404, "queue-not-found"), (unknownQueue.Status, unknownQueue.Body.GetProperty("code").GetString()));
    }
}
