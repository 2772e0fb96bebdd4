using System.Text.Json;
using Inventory.Functions.Functions;
using Inventory.Functions.Messaging;
using Inventory.Testing;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Inventory.Functions.Tests.Messaging;

/// <summary>
/// Found in review (the operator's quarantine). A quarantined message stayed listed for good: once the operator had
/// dealt with it (created the missing location and sent the receipt again, called the supplier), nothing told the handled
/// from the new. Each message is now listed with its <c>quarantineId</c>, and the operator dismisses it by that id.
/// </summary>
public sealed class AnOperatorDismissesAQuarantinedMessageTests
{
    private readonly InventoryApplication app = new(new InMemoryDocumentStore());
    private readonly ReceivingFunctions functions;

    public AnOperatorDismissesAQuarantinedMessageTests() =>
        functions = app.Create<ReceivingFunctions>(new QueueIntake(app.Quarantine, NullLogger<QueueIntake>.Instance), new QueueNames());

    [Fact]
    public async Task A_dismissed_message_leaves_the_list_and_the_others_stay()
    {
        await functions.ReceivePurchaseOrder("{\"poId\":", "m-1", 1, default);
        await functions.ReceivePurchaseOrder("{\"poId\":", "m-2", 1, default);
        var listed = (await CallAsync("GET", "receipts", null)).Body.GetProperty("messages").EnumerateArray().ToArray();
        var first = listed.Single(m => m.GetProperty("messageId").GetString() == "m-1").GetProperty("quarantineId").GetString()!;

        var dismissed = await CallAsync("DELETE", "receipts", first);

        Assert.Equal(204, dismissed.Status);
        var left = (await CallAsync("GET", "receipts", null)).Body.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("messageId").GetString());
        Assert.Equal(["m-2"], left);
    }

    [Fact]
    public async Task Dismissing_a_message_not_kept_is_a_404_problem_and_another_queue_is_not_found()
    {
        await functions.ReceivePurchaseOrder("{\"poId\":", "m-1", 1, default);
        var id = (await CallAsync("GET", "receipts", null)).Body.GetProperty("messages")[0].GetProperty("quarantineId").GetString()!;
        await CallAsync("DELETE", "receipts", id);

        var again = await CallAsync("DELETE", "receipts", id);
        var otherQueue = await CallAsync("DELETE", "purchase-order-events", id);
        var unknownQueue = await CallAsync("DELETE", "no-such-queue", id);

        Assert.Equal((404, "message-not-found"), (again.Status, again.Body.GetProperty("code").GetString()));
        Assert.Equal((404, "message-not-found"), (otherQueue.Status, otherQueue.Body.GetProperty("code").GetString()));
        Assert.Equal((404, "queue-not-found"), (unknownQueue.Status, unknownQueue.Body.GetProperty("code").GetString()));
    }

    private async Task<(int Status, JsonElement Body)> CallAsync(string method, string queue, string? quarantineId)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.Request.Path = $"/api/quarantine/{queue}" + (quarantineId is null ? "" : "/" + quarantineId);
        context.Response.Body = new MemoryStream();
        var result = quarantineId is null ? await functions.Quarantined(context.Request, queue, default)
            : await functions.DismissQuarantined(context.Request, queue, quarantineId, default);
        await result.ExecuteResultAsync(new ActionContext(context, new RouteData(), new ActionDescriptor()));
        context.Response.Body.Position = 0;
        var text = await new StreamReader(context.Response.Body).ReadToEndAsync();
        return (context.Response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }
}
