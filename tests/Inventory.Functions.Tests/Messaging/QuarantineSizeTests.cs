using Inventory.Application;
using Inventory.Functions.Functions;
using Inventory.Functions.Messaging;
using Inventory.Storage;
using Inventory.Storage.Tables;
using Inventory.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Inventory.Functions.Tests.Messaging;

/// <summary>
/// A poison message of any size ends in the quarantine and the function returns normally (Service Bus completes it). It
/// must never throw because the quarantine document is too large for the store: Service Bus would then redeliver it
/// and dead-letter it, and the quarantine would not have it. Run on Table Storage (Azurite), whose 64 KiB string
/// property holds 32,768 UTF-16 characters of JSON, and on the in-memory store that enforces the same limit.
/// </summary>
public sealed class QuarantineSizeTests : IAsyncLifetime
{
    private TableDocumentStore azurite = null!;

    public async Task InitializeAsync() => azurite = await AzuriteTables.CreateStoreAsync();
    public Task DisposeAsync() => AzuriteTables.DropAsync(azurite);

    [Theory]
    [InlineData("azurite", 40 * 1024, 'x')]   // 40 KiB: 80 KiB as UTF-16, beyond the Table limit
    [InlineData("azurite", 40 * 1024, '"')]   // quotes double when the body is escaped into the quarantine's JSON
    [InlineData("azurite", 20 * 1024, 'é')]   // non-ASCII is escaped as \u00e9: six characters each
    [InlineData("azurite", 256 * 1024, 'x')]  // the largest Service Bus Standard message
    [InlineData("in-memory", 40 * 1024, 'x')]
    [InlineData("in-memory", 40 * 1024, '"')]
    public async Task A_poison_message_of_any_size_ends_in_the_quarantine(string storeKind, int characters, char fill)
    {
        IDocumentStore store = storeKind == "azurite" ? azurite : new InMemoryDocumentStore();
        var app = new InventoryApplication(store);
        var functions = app.Create<ReceivingFunctions>(new QueueIntake(app.Quarantine, NullLogger<QueueIntake>.Instance), new QueueNames());
        var body = "{\"poId\":\"" + new string(fill, characters); // not JSON: poison

        await functions.ReceivePurchaseOrder(body, "m-large", 1, default);

        var kept = Assert.Single(await app.Quarantine.ListAsync("receipts"));
        Assert.Equal(("m-large", "malformed-json", 1), (kept.MessageId, kept.Reason, kept.DeliveryCount));
        Assert.StartsWith(body[..1000], kept.Body, StringComparison.Ordinal);
        Assert.EndsWith($"(cut: {body.Length} characters, kept {kept.Body.IndexOf('…', StringComparison.Ordinal)})", kept.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_message_that_fits_is_kept_whole()
    {
        var app = new InventoryApplication(azurite);
        var functions = app.Create<ReceivingFunctions>(new QueueIntake(app.Quarantine, NullLogger<QueueIntake>.Instance), new QueueNames());
        var body = "{\"poId\":\"" + new string('x', 20_000);

        await functions.ReceivePurchaseOrder(body, "m-fits", 1, default);

        Assert.Equal(body, Assert.Single(await app.Quarantine.ListAsync("receipts")).Body);
    }
}
