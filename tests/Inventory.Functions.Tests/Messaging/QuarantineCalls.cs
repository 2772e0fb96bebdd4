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

/// <summary>The receiving functions over the in-memory store, and the quarantine's two routes called as the Functions host calls them.</summary>
internal sealed class QuarantineCalls
{
    public InventoryApplication App { get; } = new(new InMemoryDocumentStore());
    public ReceivingFunctions Functions { get; }

    public QuarantineCalls() =>
        Functions = App.Create<ReceivingFunctions>(new QueueIntake(App.Quarantine, NullLogger<QueueIntake>.Instance), new QueueNames());

    /// <summary>GET /api/quarantine/{queue} (no <paramref name="quarantineId"/>), or DELETE /api/quarantine/{queue}/{quarantineId}.</summary>
    public async Task<(int Status, JsonElement Body)> CallAsync(string method, string queue, string? quarantineId)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.Request.Path = $"/api/quarantine/{queue}" + (quarantineId is null ? "" : "/" + quarantineId);
        context.Response.Body = new MemoryStream();
        var result = quarantineId is null ? await Functions.Quarantined(context.Request, queue, default)
            : await Functions.DismissQuarantined(context.Request, queue, quarantineId, default);
        await result.ExecuteResultAsync(new ActionContext(context, new RouteData(), new ActionDescriptor()));
        context.Response.Body.Position = 0;
        var text = await new StreamReader(context.Response.Body).ReadToEndAsync();
        return (context.Response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }
}
