using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using Inventory.Domain;
using Inventory.Functions.Api;
using Inventory.Functions.Api.Contracts;
using Inventory.Functions.Messaging.Contracts;
using Inventory.Functions.OpenApi;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;

namespace Inventory.Functions.Tests.Contracts;

/// <summary>
/// Responses and messages are the Functions project's own records: no domain record, application view or stored document
/// goes out as JSON, neither declared (the types the OpenAPI document describes) nor at run time (the API's serializer
/// refuses a Core type, wherever it sits in a body).
/// </summary>
public sealed class WireTypesTests
{
    private static readonly Assembly Core = typeof(DomainException).Assembly;

    [Fact]
    public void Every_documented_response_and_every_queue_message_is_built_of_wire_types_only()
    {
        var responses = FunctionCatalog.Discover().Select(f => f.Method.GetCustomAttribute<ApiOperationAttribute>()?.Response).OfType<Type>().ToArray();
        Assert.True(responses.Length >= 25, $"only {responses.Length} documented responses found");
        // The purchase-orders queue carries a PurchaseOrderResponse; the receipts and purchase-order-events queues are read into these.
        Type[] messages = [typeof(PurchaseOrderResponse), typeof(ReceiptMessageBody), typeof(PurchaseOrderEventBody)];

        var leaks = responses.Concat(messages).SelectMany(root => CoreRecordsIn(root).Select(t => $"{root.Name} carries {t.FullName}")).Distinct().ToArray();

        Assert.Empty(leaks);
    }

    [Fact]
    public void The_walk_finds_a_core_record_however_deep_it_sits()
    {
        // The check above is only as good as this walk: a list of a record holding a list of domain balances is found.
        Assert.Contains(typeof(StockBalance), CoreRecordsIn(typeof(ListResponse<Application.Stock.MovementResult>)));
        Assert.Contains(typeof(Address), CoreRecordsIn(typeof(Dictionary<string, Warehouse[]>)));
        Assert.Empty(CoreRecordsIn(typeof(ListResponse<ProductReservationItemResponse>)));
    }

    [Fact]
    public void The_api_serializer_refuses_a_core_record_even_inside_a_problem_body_and_writes_its_wire_type()
    {
        var product = new Product { ProductId = "p-1", Sku = "SKU-1", Name = "One" };

        var refused = Assert.Throws<InvalidOperationException>(() => JsonSerializer.Serialize(product, ApiJson.Responses));
        Assert.Contains("Inventory.Domain.Product", refused.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() =>
            JsonSerializer.Serialize(new Dictionary<string, object?> { ["errors"] = new[] { new FieldError("sku", "is required") } }, ApiJson.Responses));

        var json = JsonSerializer.Serialize(ProductResponse.From(product), ApiJson.Responses);
        Assert.StartsWith("""{"productId":"p-1","sku":"SKU-1","name":"One","unitCost":0,""", json, StringComparison.Ordinal);
        Assert.Equal("\"PICK_FACE\"", JsonSerializer.Serialize(LocationType.PickFace, ApiJson.Responses)); // Core enums: spelled by the API
    }

    [Fact]
    public async Task A_response_body_of_a_core_type_fails_instead_of_going_out()
    {
        var balance = new StockBalance { LocationId = "l-1", WarehouseId = "w-1", QuantityOnHand = 3 };

        await Assert.ThrowsAsync<InvalidOperationException>(() => WriteAsync(JsonResponse.Ok(balance)));
        var (status, body) = await WriteAsync(JsonResponse.Ok(BalanceResponse.From(balance)));

        Assert.Equal(200, status);
        Assert.Equal(3, body.GetProperty("quantityAvailable").GetInt64());
    }

    [Fact]
    public async Task Problem_members_go_out_as_wire_records_with_the_same_fields()
    {
        var (status, shortage) = await WriteAsync(Problems.For(new InsufficientStockException("o-1", [new ShortLine("p-1", 5, 2)]))!);
        var (_, invalid) = await WriteAsync(Problems.For(new ValidationException("lines[0].quantity", "must be between 1 and 1000000000"))!);

        Assert.Equal(409, status);
        var line = Assert.Single(shortage.GetProperty("lines").EnumerateArray().ToArray());
        Assert.Equal(("p-1", 5, 2), (line.GetProperty("productId").GetString(), line.GetProperty("requested").GetInt64(), line.GetProperty("available").GetInt64()));
        var error = Assert.Single(invalid.GetProperty("errors").EnumerateArray().ToArray());
        Assert.Equal(("lines[0].quantity", "must be between 1 and 1000000000"), (error.GetProperty("field").GetString(), error.GetProperty("message").GetString()));
    }

    [Fact]
    public async Task A_transfers_shortage_names_the_transfer_and_its_source_not_an_order()
    {
        var (status, shortage) = await WriteAsync(Problems.For(InsufficientStockException.ForTransfer("t-1", "l-1", new ShortLine("p-1", 5, 2)))!);

        Assert.Equal(409, status);
        Assert.Equal(("t-1", "l-1"), (shortage.GetProperty("transferId").GetString(), shortage.GetProperty("fromLocationId").GetString()));
        Assert.False(shortage.TryGetProperty("orderId", out _));
        var line = Assert.Single(shortage.GetProperty("lines").EnumerateArray().ToArray());
        Assert.Equal(("p-1", 5, 2), (line.GetProperty("productId").GetString(), line.GetProperty("requested").GetInt64(), line.GetProperty("available").GetInt64()));
    }

    /// <summary>The Core records (not enums) reachable from a type through its JSON members, generic arguments and array elements.</summary>
    private static IEnumerable<Type> CoreRecordsIn(Type root)
    {
        var seen = new HashSet<Type>();
        var pending = new Stack<Type>([root]);
        while (pending.TryPop(out var type))
        {
            if (!seen.Add(type)) continue;
            if (type.IsArray) { pending.Push(type.GetElementType()!); continue; }
            foreach (var argument in type.IsGenericType ? type.GetGenericArguments() : []) pending.Push(argument);
            if (type.Assembly == Core && !type.IsEnum) yield return type;
            if (type.Namespace?.StartsWith("System", StringComparison.Ordinal) == true) continue; // the BCL's own members are not the wire's
            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
                if (property.GetIndexParameters().Length == 0 && property.GetCustomAttribute<JsonIgnoreAttribute>() is not { Condition: JsonIgnoreCondition.Always })
                    pending.Push(property.PropertyType);
        }
    }

    private static async Task<(int Status, JsonElement Body)> WriteAsync(JsonResponse result)
    {
        var http = new DefaultHttpContext();
        http.Response.Body = new MemoryStream();
        await result.ExecuteResultAsync(new ActionContext(http, new RouteData(), new ActionDescriptor()));
        http.Response.Body.Position = 0;
        using var json = await JsonDocument.ParseAsync(http.Response.Body);
        return (http.Response.StatusCode, json.RootElement.Clone());
    }
}
