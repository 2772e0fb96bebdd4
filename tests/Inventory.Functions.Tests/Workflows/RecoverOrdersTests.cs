using System.Net;
using Inventory.Application;
using Inventory.Application.Orders;
using Inventory.Functions.Tests.Support;
using Inventory.Storage;
using Inventory.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Inventory.Functions.Tests.Workflows;

/// <summary>
/// Issue 12: a reserve saga left half-way by a dead instance (here: an instance whose store connection breaks on its
/// fourth write, after the first product) is finished by the RecoverOrders timer, run through the admin endpoint,
/// once it has been open longer than Orders__RecoverAfterSeconds, and not before.
/// </summary>
public sealed class RecoverOrdersTests(LocalHostFactory host) : IClassFixture<LocalHostFactory>
{
    [SkippableFact]
    public async Task A_saga_left_half_way_by_a_dead_instance_is_driven_forward_by_RecoverOrders()
    {
        var api = host.Api();
        await api.ProductAsync("rec-a", 10);
        await api.ProductAsync("rec-b", 10);

        var dying = new FaultyStore(host.Services.GetRequiredService<IDocumentStore>());
        dying.Arm(4); // the open-saga entry, the header, product rec-a, then product rec-b fails: the instance is gone
        var other = new InventoryApplication(dying, host.Clock);
        await Assert.ThrowsAsync<StoreFaultException>(() => other.Reserve.ExecuteAsync(new ReserveCommand("rec-1", [new("rec-a", 3), new("rec-b", 2)])));
        Assert.Equal(3, await api.ReservedAsync("rec-a"));
        Assert.Equal(0, await api.ReservedAsync("rec-b"));

        Assert.Equal(HttpStatusCode.Accepted, await api.RunFunctionAsync("RecoverOrders"));
        Assert.Equal("PENDING", (await api.GetJsonAsync("/api/reservations/rec-1")).Body.Str("status")); // too young: maybe still running

        host.Clock.Offset += TimeSpan.FromSeconds(61);
        Assert.Equal(HttpStatusCode.Accepted, await api.RunFunctionAsync("RecoverOrders"));
        Assert.Equal("RESERVED", (await api.GetJsonAsync("/api/reservations/rec-1")).Body.Str("status"));
        Assert.Equal(3, await api.ReservedAsync("rec-a"));
        Assert.Equal(2, await api.ReservedAsync("rec-b"));

        var replay = await api.ReserveAsync("rec-1", ("rec-a", 3), ("rec-b", 2));
        Assert.Equal(HttpStatusCode.OK, replay.Status);
        Assert.Equal(2, await api.ReservedAsync("rec-b"));
    }
}
