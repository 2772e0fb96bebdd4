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
/// Found in review (r2, DELETE /api/quarantine/{queue}/{quarantineId}). docs/http-api.md: "409 invalid-state when it was
/// quarantined again since it was listed (read it again)"; docs/receiving.md: "a message quarantined again since it was
/// listed is not dismissed (409: read it again)". The DELETE carries nothing of the listing (no ETag, no quarantinedAt):
/// Quarantine.DismissAsync reads the document at the dismissal and deletes it under the ETag it has just read, so only a
/// redelivery landing between those two calls is refused. A message quarantined again after the operator listed it (a
/// redelivery with a higher deliveryCount, possibly a new reason) is dismissed with 204, and the operator never reads it.
/// </summary>
public sealed class AQuarantinedMessageQuarantinedAgainSinceListedIsNotDismissedTests
{
    private readonly InventoryApplication app = new(new InMemoryDocumentStore());
    private readonly ReceivingFunctions functions;

    public AQuarantinedMessageQuarantinedAgainSinceListedIsNotDismissedTests() =>
        functions = app.Create<ReceivingFunctions>(new QueueIntake(app.Quarantine, NullLogger<QueueIntake>.Instance), new QueueNames());

    [Fact]
    public async Task A_message_quarantined_again_after_it_was_listed_is_a_409()
    {
        await functions.ReceivePurchaseOrder("{\"poId\":", "m-1", 1, default);
        var listed = (await CallAsync("GET", "receipts", null)).Body.GetProperty("messages")[0];
        var id = listed.GetProperty("quarantineId").GetString()!;
        Assert.Equal(1, listed.GetProperty("deliveryCount").GetInt32());

        await functions.ReceivePurchaseOrder("{\"poId\":", "m-1", 2, default); // redelivered and quarantined again, after the listing
        var dismissed = await CallAsync("DELETE", "receipts", id);

        Assert.Equal((409, "invalid-state"), (dismissed.Status, dismissed.Status == 204 ? "(204: dismissed)" : dismissed.Body.GetProperty("code").GetString()));
        Assert.Equal(2, (await CallAsync("GET", "receipts", null)).Body.GetProperty("messages")[0].GetProperty("deliveryCount").GetInt32());
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
