using System.Net;
using Inventory.Functions.Tests.Support;

namespace Inventory.Functions.Tests;

/// <summary>
/// Found in review: docs/http-api.md documents the local host's admin API with optional trigger metadata
/// (<c>{"metadata": {"isPastDue": true}}</c> for a timer, <c>{"messageId", "deliveryCount"}</c> for a queue function).
/// A value of the wrong type there ("isPastDue": "yes", "deliveryCount": "abc") is the caller's mistake, but
/// FunctionInvoker.Coerce throws a JsonException while binding, inside LocalFunctions.InvokeByAdminAsync's catch-all,
/// and the answer is 500 function-failed ("'ExpireHolds' failed: The JSON value could not be converted to
/// System.Boolean"): a server fault for a bad input, where a body of the wrong shape is already a 400 on the same route.
/// </summary>
public sealed class BadTriggerMetadataOnTheAdminApiIsA400Tests(LocalHostFactory host) : IClassFixture<LocalHostFactory>
{
    [SkippableTheory]
    [InlineData("ExpireHolds", """{"metadata":{"isPastDue":"yes"}}""")]
    [InlineData("ReceivePurchaseOrder", """{"input":"{}","metadata":{"deliveryCount":"abc"}}""")]
    public async Task Metadata_of_the_wrong_type_is_a_400_problem_not_a_500(string function, string body)
    {
        var r = await host.Api().PostJsonAsync("/admin/functions/" + function, body);

        Assert.True(r.Status == HttpStatusCode.BadRequest, $"{function} with {body}: {(int)r.Status} {r.Body}");
        Assert.Equal("application/problem+json", r.ContentType);
    }
}
