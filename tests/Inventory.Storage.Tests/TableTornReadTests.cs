using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Inventory.Storage.Tables;
using Inventory.Testing;

namespace Inventory.Storage.Tests;

/// <summary>
/// Table Storage reads a product's head, then the rest in parallel: not one snapshot. A commit landing in between (the
/// reserve of the order being fulfilled) once handed a decision a newer reservation with an older head and balances, and
/// the decision threw "Balance ... would become negative" instead of the commit being retried (flaky WorkflowModelTests,
/// seed 263577286). Here a commit lands deterministically between the head's read and the reservation's: what the read
/// returns must be one state; a partition that never stops changing is read a bounded number of times.
/// </summary>
public class TableTornReadTests : IAsyncLifetime
{
    private readonly CommitBetweenReads hook = new();
    private TableDocumentStore store = null!;
    private TableDocumentStore writer = null!;

    public async Task InitializeAsync()
    {
        writer = await AzuriteTables.CreateStoreAsync();
        var clientOptions = new TableClientOptions();
        clientOptions.AddPolicy(hook, HttpPipelinePosition.PerCall);
        store = new TableDocumentStore(new TableServiceClient(AzuriteTables.ConnectionString, clientOptions),
            new TableStoreOptions { TableConnectionString = AzuriteTables.ConnectionString, TablePrefix = writer.TableName(Collection.Products)[..^"products".Length] });
        hook.Writer = writer;
        await writer.CommitAsync(Collection.Products, "p1", Seeded
            .Select(id => (DocumentWrite)new DocumentWrite.Create(id, Version(1))).ToArray());
    }

    public Task DisposeAsync() => AzuriteTables.DropAsync(writer);

    private static readonly string[] Seeded = ["head", "product", "res|o1"];

    private static string Version(int v) => $"{{\"v\":{v}}}";

    [Fact]
    public async Task A_commit_between_the_head_and_the_reservation_is_not_handed_out_torn()
    {
        hook.Tears = 1;
        var found = (await store.ReadAsync(Collection.Products, "p1", ["head", "product", "res|o1"], [])).ToDictionary(d => d.Id);

        Assert.Equal(0, hook.Tears); // the commit did land between the two reads
        Assert.Equal(Version(2), found["res|o1"].Body);
        Assert.Equal(Version(2), found["head"].Body); // torn: head v1 with reservation v2
    }

    [Fact]
    public async Task A_commit_between_the_head_and_a_prefix_range_is_not_handed_out_torn()
    {
        hook.Tears = 1;
        var found = (await store.ReadAsync(Collection.Products, "p1", ["head"], ["res|"])).ToDictionary(d => d.Id);

        Assert.Equal(0, hook.Tears);
        Assert.Equal((Version(2), Version(2)), (found["head"].Body, found["res|o1"].Body));
    }

    [Fact]
    public async Task A_partition_that_changes_under_every_read_is_read_a_bounded_number_of_times_head_first()
    {
        hook.Tears = 1_000;
        var found = (await store.ReadAsync(Collection.Products, "p1", ["head", "product", "res|o1"], [])).ToDictionary(d => d.Id);

        Assert.Equal(1_000 - TableDocumentStore.MaxReadAttempts, hook.Tears); // bounded: one commit per attempt
        // the last read stands unchecked, its head older than the rest: a commit conditioned on it fails and is retried
        Assert.Equal((Version(1 + TableDocumentStore.MaxReadAttempts - 1), Version(1 + TableDocumentStore.MaxReadAttempts)),
            (found["head"].Body, found["res|o1"].Body));
    }

    [Fact]
    public async Task A_read_of_one_id_is_one_request()
    {
        hook.Tears = 1;
        var found = Assert.Single(await store.ReadAsync(Collection.Products, "p1", ["res|o1"], []));

        Assert.Equal(Version(2), found.Body); // the commit ran before that one read: nothing to tear
        Assert.Equal(1, hook.Requests);
    }

    /// <summary>
    /// Before a point read of <c>res|o1</c> is sent (while <see cref="Tears"/> lasts), commits what a stock commit does:
    /// the head and the reservation replaced together, both to the next version.
    /// </summary>
    private sealed class CommitBetweenReads : HttpPipelinePolicy
    {
        public TableDocumentStore Writer { get; set; } = null!;
        public int Tears { get; set; }
        public int Requests => requests;
        private int requests;
        private int version = 1;

        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
            ProcessAsync(message, pipeline).AsTask().GetAwaiter().GetResult();

        public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            Interlocked.Increment(ref requests);
            var uri = Uri.UnescapeDataString(message.Request.Uri.ToString());
            if (Tears > 0 && (uri.Contains("RowKey='res|o1'", StringComparison.Ordinal) || uri.Contains("RowKey ge 'res|'", StringComparison.Ordinal)))
            {
                Tears--;
                version++;
                var current = (await Writer.ReadAsync(Collection.Products, "p1", ["head", "res|o1"], [])).ToDictionary(d => d.Id, d => d.ETag);
                await Writer.CommitAsync(Collection.Products, "p1",
                    [new DocumentWrite.Replace("head", Version(version), current["head"]), new DocumentWrite.Replace("res|o1", Version(version), current["res|o1"])]);
            }
            await ProcessNextAsync(message, pipeline);
        }
    }
}
