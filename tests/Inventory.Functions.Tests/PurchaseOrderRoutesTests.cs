using System.Net;
using Inventory.Functions.Tests.Support;

namespace Inventory.Functions.Tests;

/// <summary>The purchase-order routes over the local host: create (idempotent by poId), read, and the state machine's moves.</summary>
public sealed class PurchaseOrderRoutesTests(LocalHostFactory host) : IClassFixture<LocalHostFactory>
{
    private static string Body(string? poId, string warehouseId, string productId, int quantity = 10) =>
        $$"""{{{(poId is null ? "" : $"\"poId\":\"{poId}\",")}}"supplierId":"sup-1","warehouseId":"{{warehouseId}}","expectedDate":"2030-01-15","lines":[{"productId":"{{productId}}","quantity":{{quantity}}}]}""";

    [SkippableFact]
    public async Task Create_is_201_with_the_draft_order_and_the_same_poId_again_is_200_with_it_unchanged()
    {
        var api = host.Api();
        var seeded = await LocalHostFactory.SeedAsync(api, "po-r1", pickFace: 0);

        var created = await api.PostJsonAsync("/api/purchase-orders", Body("po-route-1", seeded.WarehouseId, "po-r1", 12));
        var again = await api.PostJsonAsync("/api/purchase-orders", Body("po-route-1", seeded.WarehouseId, "po-r1", 99));
        var read = await api.GetJsonAsync("/api/purchase-orders/po-route-1");

        Assert.Equal(HttpStatusCode.Created, created.Status);
        Assert.Equal(("po-route-1", "DRAFT", "MANUAL", "2030-01-15"),
            (created.Body.Str("poId"), created.Body.Str("status"), created.Body.Str("origin"), created.Body.Str("expectedDate")));
        var line = Assert.Single(created.Body.GetProperty("lines").EnumerateArray().ToArray());
        Assert.Equal(("po-r1", 12L, 0L, 12L), (line.Str("productId"), line.Long("quantityOrdered"), line.Long("quantityReceived"), line.Long("outstanding")));
        Assert.Equal(HttpStatusCode.OK, again.Status);
        Assert.Equal(12, again.Body.GetProperty("lines")[0].Long("quantityOrdered"));
        Assert.Equal(created.Body.ToString(), read.Body.ToString());
    }

    [SkippableFact]
    public async Task Without_a_poId_one_is_generated_and_returned_in_the_location()
    {
        var api = host.Api();
        var seeded = await LocalHostFactory.SeedAsync(api, "po-r2", pickFace: 0);
        using var response = await api.PostAsync("/api/purchase-orders",
            new StringContent(Body(null, seeded.WarehouseId, "po-r2"), System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var poId = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Str("poId");
        Assert.StartsWith("PO-", poId, StringComparison.Ordinal);
        Assert.Equal($"/api/purchase-orders/{poId}", response.Headers.Location?.ToString());
    }

    [SkippableFact]
    public async Task Send_confirm_cancel_follow_the_state_machine_and_a_refused_move_is_409()
    {
        var api = host.Api();
        var seeded = await LocalHostFactory.SeedAsync(api, "po-r3", pickFace: 0);
        await api.PostJsonAsync("/api/purchase-orders", Body("po-route-3", seeded.WarehouseId, "po-r3"));

        var early = await api.PostJsonAsync("/api/purchase-orders/po-route-3/confirm", "");
        var sent = await api.PostJsonAsync("/api/purchase-orders/po-route-3/send", "");
        var confirmed = await api.PostJsonAsync("/api/purchase-orders/po-route-3/confirm", "");
        var cancelled = await api.PostJsonAsync("/api/purchase-orders/po-route-3/cancel", "");
        var twice = await api.PostJsonAsync("/api/purchase-orders/po-route-3/cancel", "");

        Http.AssertProblem(early, HttpStatusCode.Conflict, "invalid-transition");
        Assert.Equal(("po-route-3", "DRAFT", "confirm"), (early.Body.Str("poId"), early.Body.Str("poStatus"), early.Body.Str("action")));
        Assert.Equal(("SENT", "CONFIRMED", "CANCELLED"), (sent.Body.Str("status"), confirmed.Body.Str("status"), cancelled.Body.Str("status")));
        Http.AssertProblem(twice, HttpStatusCode.Conflict, "invalid-transition");
    }

    [SkippableTheory]
    [InlineData("""{"supplierId":"sup-1","lines":[{"productId":"po-r4","quantity":1}]}""", 400, "validation-failed")]
    [InlineData("""{"supplierId":"sup-1","warehouseId":"wh-po-r4","expectedDate":"15/01/2030","lines":[{"productId":"po-r4","quantity":1}]}""", 400, "validation-failed")]
    [InlineData("""{"supplierId":"sup-1","warehouseId":"wh-po-r4","expectedDate":"2030-01-15","lines":[{"productId":"po-r4","quantity":0}]}""", 400, "validation-failed")]
    [InlineData("""{"supplierId":"sup-1","warehouseId":"wh-none","expectedDate":"2030-01-15","lines":[{"productId":"po-r4","quantity":1}]}""", 404, "warehouse-not-found")]
    [InlineData("""{"supplierId":"sup-1","warehouseId":"wh-po-r4","expectedDate":"2030-01-15","lines":[{"productId":"nothing","quantity":1}]}""", 404, "product-not-found")]
    public async Task A_bad_order_is_refused_with_a_problem(string body, int status, string code)
    {
        var api = host.Api();
        await LocalHostFactory.SeedAsync(api, "po-r4", pickFace: 0);
        Http.AssertProblem(await api.PostJsonAsync("/api/purchase-orders", body), (HttpStatusCode)status, code);
    }

    [SkippableFact]
    public async Task An_unknown_order_is_404_naming_it()
    {
        var missing = await host.Api().GetJsonAsync("/api/purchase-orders/po-none");
        Http.AssertProblem(missing, HttpStatusCode.NotFound, "purchase-order-not-found");
        Assert.Equal("po-none", missing.Body.Str("poId"));
    }
}
