using System.Net;
using System.Text.Json;
using Inventory.Functions.Tests.Support;

namespace Inventory.Functions.Tests.Workflows;

/// <summary>Issue 12, defect 8: the sweep finds every due hold, however long ago it fell due.</summary>
public sealed class HoldSweepTests(LocalHostFactory host) : IClassFixture<LocalHostFactory>
{
    [SkippableFact]
    public async Task A_hold_that_fell_due_weeks_before_the_sweep_ran_is_still_released()
    {
        var api = host.Api();
        await api.ProductAsync("hold-old", 10);
        var reserved = await api.PostJsonAsync("/api/reservations", JsonSerializer.Serialize(new
        {
            orderId = "hold-old-1", holdMinutes = 60, lines = new[] { new { productId = "hold-old", quantity = 4 } },
        }));
        Assert.Equal(HttpStatusCode.Created, reserved.Status);

        host.Clock.Offset = TimeSpan.FromDays(30); // the sweep did not run for a month (timers off, an outage)
        Assert.True((int)await api.RunFunctionAsync("ExpireHolds") is >= 200 and < 300);

        Assert.Equal(0, await api.ReservedAsync("hold-old"));
    }
}
