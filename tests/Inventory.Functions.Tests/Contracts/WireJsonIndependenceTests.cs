using System.Reflection;
using System.Runtime.Loader;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Inventory.Functions.Tests.Contracts;

/// <summary>
/// The stored documents' JSON can change without changing the API's: with Core's <c>DocumentJson</c> options changed
/// (snake_case, nulls written, enums spelled otherwise), a stored purchase order's JSON changes and the same order as the
/// API answers it, and as the purchase-orders queue carries it, stays byte for byte the same. Each run loads Core and
/// Functions afresh in their own load context, so the change is made before anything has read the options.
/// </summary>
public sealed class WireJsonIndependenceTests
{
    private const string StoredOrder = """
        {"poId":"PO-7","supplierId":"acme","warehouseId":"wh-1","status":"Confirmed","origin":"Replenishment",
         "lines":[{"productId":"p-1","quantityOrdered":40,"quantityReceived":10}],"expectedDate":"2030-03-04",
         "createdAt":"2030-01-02T03:04:05+00:00","sentAt":"2030-01-03T00:00:00+00:00","appliedReceipts":["r-1"],
         "pendingReceipts":[{"receiptId":"r-2","receivedBy":"me","lines":[{"productId":"p-1","quantity":5}],"acceptedAt":"2030-01-04T00:00:00+00:00"}]}
        """;

    private static readonly JsonSerializerOptions Reading = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    [Fact]
    public void A_change_to_the_document_json_changes_what_is_stored_and_not_what_the_api_answers()
    {
        var usual = Render(changeDocumentJson: false);
        var changed = Render(changeDocumentJson: true);

        Assert.NotEqual(usual.Stored, changed.Stored); // the change took effect on the stored JSON...
        Assert.Contains("\"supplier_id\":\"acme\"", changed.Stored, StringComparison.Ordinal);
        Assert.Equal(usual.Api, changed.Api);          // ...and none on the wire
        Assert.Contains("\"status\":\"CONFIRMED\"", usual.Api, StringComparison.Ordinal);
        Assert.DoesNotContain("receivedAt", usual.Api, StringComparison.Ordinal);
    }

    private static (string Stored, string Api) Render(bool changeDocumentJson)
    {
        var context = new FreshLoad();
        try
        {
            var core = context.LoadFromAssemblyName(new AssemblyName("Inventory.Core"));
            var functions = context.LoadFromAssemblyName(new AssemblyName("Inventory.Functions"));
            var documentJson = (JsonSerializerOptions)core.GetType("Inventory.Application.DocumentJson", throwOnError: true)!.GetProperty("Options")!.GetValue(null)!;
            if (changeDocumentJson)
            {
                documentJson.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
                documentJson.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
                documentJson.Converters.Clear();
                documentJson.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower));
            }
            var orderType = core.GetType("Inventory.Domain.PurchaseOrder", throwOnError: true)!;
            var order = JsonSerializer.Deserialize(StoredOrder, orderType, Reading)!;
            var stored = JsonSerializer.Serialize(order, orderType, documentJson);

            var wireType = functions.GetType("Inventory.Functions.Api.Contracts.PurchaseOrderResponse", throwOnError: true)!;
            var wire = wireType.GetMethod("From")!.Invoke(null, [order])!;
            var apiJson = (JsonSerializerOptions)functions.GetType("Inventory.Functions.Api.ApiJson", throwOnError: true)!.GetProperty("Responses")!.GetValue(null)!;
            return (stored, JsonSerializer.Serialize(wire, wireType, apiJson));
        }
        finally
        {
            context.Unload();
        }
    }

    /// <summary>Core and Functions loaded again from the test's folder (fresh statics); everything else shared with the test.</summary>
    private sealed class FreshLoad() : AssemblyLoadContext("wire-json", isCollectible: true)
    {
        protected override Assembly? Load(AssemblyName name) => name.Name is "Inventory.Core" or "Inventory.Functions"
            ? LoadFromAssemblyPath(Path.Combine(AppContext.BaseDirectory, name.Name + ".dll"))
            : null;
    }
}
