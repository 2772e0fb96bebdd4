using Inventory.Domain;
using Inventory.Storage;
using Xunit;

namespace Inventory.Testing;

/// <summary>
/// What every <see cref="IDocumentStore"/> must do for the commit protocol to hold. A store's test class derives from
/// this and supplies the store; every test works in a partition of its own.
/// </summary>
public abstract class DocumentStoreContract
{
    protected abstract IDocumentStore Store { get; }

    /// <summary>Lets a derived class skip (with its reason) when its store is not reachable here.</summary>
    protected virtual void RequireStore() { }

    /// <summary>What one ASCII character of a body costs against <see cref="StoreLimits"/>: 2 where strings are UTF-16 (Table), 1 in UTF-8 (Cosmos).</summary>
    protected virtual int BytesPerBodyChar => 2;

    /// <summary>A JSON body of about <paramref name="bytes"/> as the store counts them.</summary>
    private string BodyOf(long bytes) => "{\"pad\":\"" + new string('x', (int)(bytes / BytesPerBodyChar) - 10) + "\"}";

    private static string NewPartition() => "p-" + Guid.NewGuid().ToString("N");

    private async Task<StoredDocument> One(Collection c, string partition, string id) =>
        (await Store.ReadAsync(c, partition, [id], [])).Single();

    [SkippableFact]
    public async Task A_created_document_reads_back_with_its_body_and_an_etag()
    {
        RequireStore();
        var p = NewPartition();
        await Store.CommitAsync(Collection.Products, p, [new DocumentWrite.Create("a", """{"x":1}""")]);
        var doc = await One(Collection.Products, p, "a");
        Assert.Equal("a", doc.Id);
        Assert.Contains("\"x\":1", doc.Body.Replace(" ", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(doc.ETag));
    }

    [SkippableFact]
    public async Task Reads_return_exactly_the_named_ids_and_prefixes()
    {
        RequireStore();
        var p = NewPartition();
        string[] ids = ["product", "bal|L1", "bal|L2", "bal}", "balx", "res|o1", "res|o2"];
        await Store.CommitAsync(Collection.Products, p, ids.Select(i => (DocumentWrite)new DocumentWrite.Create(i, "{}")).ToArray());
        var found = await Store.ReadAsync(Collection.Products, p, ["product", "res|o2", "missing"], ["bal|"]);
        Assert.Equal(["bal|L1", "bal|L2", "product", "res|o2"], found.Select(d => d.Id).Order(StringComparer.Ordinal));
    }

    [SkippableFact]
    public async Task Partitions_and_collections_are_isolated()
    {
        RequireStore();
        var p = NewPartition();
        await Store.CommitAsync(Collection.Products, p, [new DocumentWrite.Create("a", "{}")]);
        Assert.Empty(await Store.ReadAsync(Collection.Products, NewPartition(), ["a"], []));
        Assert.Empty(await Store.ReadAsync(Collection.Orders, p, ["a"], []));
    }

    [SkippableFact]
    public async Task A_replace_with_a_stale_etag_writes_nothing_of_its_commit()
    {
        RequireStore();
        var p = NewPartition();
        await Store.CommitAsync(Collection.Products, p, [new DocumentWrite.Create("a", """{"v":1}"""), new DocumentWrite.Create("b", """{"v":1}""")]);
        var a = await One(Collection.Products, p, "a");
        var b = await One(Collection.Products, p, "b");
        await Store.CommitAsync(Collection.Products, p, [new DocumentWrite.Replace("b", """{"v":2}""", b.ETag)]);

        var e = await Assert.ThrowsAsync<CommitConflictException>(() => Store.CommitAsync(Collection.Products, p,
        [
            new DocumentWrite.Replace("a", """{"v":3}""", a.ETag),
            new DocumentWrite.Replace("b", """{"v":3}""", b.ETag), // stale
            new DocumentWrite.Create("c", "{}"),
        ]));
        Assert.Equal(ConflictKind.PreconditionFailed, e.Kind);
        Assert.Contains("\"v\":1", (await One(Collection.Products, p, "a")).Body.Replace(" ", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Empty(await Store.ReadAsync(Collection.Products, p, ["c"], []));
    }

    [SkippableFact]
    public async Task A_create_of_an_existing_id_fails_the_whole_transaction()
    {
        RequireStore();
        var p = NewPartition();
        await Store.CommitAsync(Collection.Products, p, [new DocumentWrite.Create("led|1", "{}"), new DocumentWrite.Create("head", """{"n":1}""")]);
        var head = await One(Collection.Products, p, "head");

        var e = await Assert.ThrowsAsync<CommitConflictException>(() => Store.CommitAsync(Collection.Products, p,
        [
            new DocumentWrite.Replace("head", """{"n":2}""", head.ETag),
            new DocumentWrite.Create("led|2", "{}"),
            new DocumentWrite.Create("led|1", "{}"), // exists
        ]));
        Assert.Equal(ConflictKind.AlreadyExists, e.Kind);
        Assert.Equal(head.ETag, (await One(Collection.Products, p, "head")).ETag);
        Assert.Empty(await Store.ReadAsync(Collection.Products, p, ["led|2"], []));
    }

    [SkippableFact]
    public async Task A_commit_of_one_write_meets_the_same_conditions_as_a_transaction()
    {
        RequireStore();
        var p = NewPartition();
        static string V(int v) => $"{{\"v\":{v}}}";
        static bool Holds(StoredDocument d, int v) => d.Body.Replace(" ", "", StringComparison.Ordinal).Contains($"\"v\":{v}", StringComparison.Ordinal);
        await Store.CommitAsync(Collection.Products, p, [new DocumentWrite.Create("a", V(1))]);
        var a = await One(Collection.Products, p, "a");

        Assert.Equal(ConflictKind.AlreadyExists, (await Assert.ThrowsAsync<CommitConflictException>(() =>
            Store.CommitAsync(Collection.Products, p, [new DocumentWrite.Create("a", V(2))]))).Kind);
        await Store.CommitAsync(Collection.Products, p, [new DocumentWrite.Replace("a", V(3), a.ETag)]);
        Assert.Equal(ConflictKind.PreconditionFailed, (await Assert.ThrowsAsync<CommitConflictException>(() =>
            Store.CommitAsync(Collection.Products, p, [new DocumentWrite.Replace("a", V(4), a.ETag)]))).Kind);
        Assert.Equal(ConflictKind.PreconditionFailed, (await Assert.ThrowsAsync<CommitConflictException>(() =>
            Store.CommitAsync(Collection.Products, p, [new DocumentWrite.Delete("a", a.ETag)]))).Kind);
        var current = await One(Collection.Products, p, "a");
        Assert.True(Holds(current, 3));
        await Store.CommitAsync(Collection.Products, p, [new DocumentWrite.Delete("a", current.ETag)]);
        Assert.Empty(await Store.ReadAsync(Collection.Products, p, ["a"], []));

        var gone = await Assert.ThrowsAsync<CommitConflictException>(() =>
            Store.CommitAsync(Collection.Products, p, [new DocumentWrite.Delete("a", current.ETag)])); // what is not there
        Assert.Contains(gone.Kind, new[] { ConflictKind.NotFound, ConflictKind.PreconditionFailed });
        await Assert.ThrowsAsync<CommitConflictException>(() =>
            Store.CommitAsync(Collection.Products, p, [new DocumentWrite.Replace("a", V(6), current.ETag)]));
        await Store.CommitAsync(Collection.Products, p, [new DocumentWrite.Upsert("a", V(5))]);
        Assert.True(Holds(await One(Collection.Products, p, "a"), 5));
    }

    [SkippableFact]
    public async Task Every_write_changes_the_etag_so_a_second_writer_with_the_old_one_fails()
    {
        RequireStore();
        var p = NewPartition();
        await Store.CommitAsync(Collection.Products, p, [new DocumentWrite.Create("a", "{}")]);
        var read = await One(Collection.Products, p, "a");
        await Store.CommitAsync(Collection.Products, p, [new DocumentWrite.Replace("a", """{"w":1}""", read.ETag)]);
        var after = await One(Collection.Products, p, "a");
        Assert.NotEqual(read.ETag, after.ETag);
        var e = await Assert.ThrowsAsync<CommitConflictException>(() =>
            Store.CommitAsync(Collection.Products, p, [new DocumentWrite.Replace("a", """{"w":2}""", read.ETag)]));
        Assert.Equal(ConflictKind.PreconditionFailed, e.Kind);
    }

    [SkippableFact]
    public async Task Deletes_are_conditioned_and_upserts_are_not()
    {
        RequireStore();
        var p = NewPartition();
        await Store.CommitAsync(Collection.Holds, p, [new DocumentWrite.Upsert("h", """{"v":1}""")]);
        await Store.CommitAsync(Collection.Holds, p, [new DocumentWrite.Upsert("h", """{"v":2}""")]);
        var doc = await One(Collection.Holds, p, "h");
        Assert.Contains("\"v\":2", doc.Body.Replace(" ", "", StringComparison.Ordinal), StringComparison.Ordinal);
        await Store.CommitAsync(Collection.Holds, p, [new DocumentWrite.Upsert("h", """{"v":3}""")]);
        await Assert.ThrowsAsync<CommitConflictException>(() => Store.CommitAsync(Collection.Holds, p, [new DocumentWrite.Delete("h", doc.ETag)]));
        var current = await One(Collection.Holds, p, "h");
        await Store.CommitAsync(Collection.Holds, p, [new DocumentWrite.Delete("h", current.ETag)]);
        Assert.Empty(await Store.ReadAsync(Collection.Holds, p, ["h"], []));
    }

    [SkippableFact]
    public async Task A_replace_of_a_missing_document_is_a_conflict()
    {
        RequireStore();
        var p = NewPartition();
        await Store.CommitAsync(Collection.Products, p, [new DocumentWrite.Create("a", "{}")]);
        var etag = (await One(Collection.Products, p, "a")).ETag;
        var e = await Assert.ThrowsAsync<CommitConflictException>(() =>
            Store.CommitAsync(Collection.Products, p, [new DocumentWrite.Replace("gone", "{}", etag)]));
        Assert.Contains(e.Kind, new[] { ConflictKind.NotFound, ConflictKind.PreconditionFailed });
    }

    [SkippableFact]
    public async Task Prefix_queries_page_in_ascending_id_order()
    {
        RequireStore();
        var p = NewPartition();
        var ids = Enumerable.Range(0, 25).Select(i => $"led|{i:D4}").ToArray();
        await Store.CommitAsync(Collection.Products, p, ids.Reverse().Select(i => (DocumentWrite)new DocumentWrite.Create(i, "{}"))
            .Append(new DocumentWrite.Create("lee", "{}")).Append(new DocumentWrite.Create("bal|x", "{}")).ToArray());
        var seen = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await Store.QueryAsync(Collection.Products, p, "led|", 10, token);
            Assert.True(page.Documents.Count <= 10);
            seen.AddRange(page.Documents.Select(d => d.Id));
            token = page.ContinuationToken;
            pages++;
        } while (token is not null && pages < 30);
        Assert.Equal(ids, seen);
    }

    [SkippableFact]
    public async Task A_query_from_a_position_lists_the_ids_after_it_and_its_tokens_go_on_from_there()
    {
        RequireStore();
        var p = NewPartition();
        var ids = Enumerable.Range(0, 25).Select(i => $"led|{i:D4}").ToArray();
        await Store.CommitAsync(Collection.Products, p, ids.Select(i => (DocumentWrite)new DocumentWrite.Create(i, "{}"))
            .Append(new DocumentWrite.Create("lee", "{}")).ToArray());
        var seen = new List<string>();
        var token = QueryPosition.After("led|0007"); // an id of the prefix: the query goes on after it
        var pages = 0;
        do
        {
            var page = await Store.QueryAsync(Collection.Products, p, "led|", 5, token);
            Assert.True(page.Documents.Count <= 5);
            seen.AddRange(page.Documents.Select(d => d.Id));
            token = page.ContinuationToken;
        } while (token is not null && ++pages < 30);
        Assert.Equal(ids[8..], seen);

        var between = await Store.QueryAsync(Collection.Products, p, "led|", 100, QueryPosition.After("led|0011x")); // not an id: after where it would be
        Assert.Equal(ids[12..], await AllAsync(between, "led|", p));
        var past = await Store.QueryAsync(Collection.Products, p, "led|", 100, QueryPosition.After("led|9999"));
        Assert.Empty(await AllAsync(past, "led|", p));
    }

    /// <summary>
    /// Found in review: Table Storage and Cosmos DB forbid U+007F-U+009F in keys, so every store escapes them (%7F..%9F),
    /// but <c>StoreKeys.Unescape</c> (Uri.UnescapeDataString) leaves %80-%9F as they are (a lone UTF-8 continuation byte is
    /// not a character): a document whose id holds U+0085 reads back with the id "...%85...", not its own.
    /// </summary>
    [SkippableFact]
    public async Task Ids_with_C1_control_characters_read_back_with_their_own_id()
    {
        RequireStore();
        var p = NewPartition();
        string[] ids = ["ctl|a\u0085b", "ctl|\u009f", "ctl|\u0080x"];
        await Store.CommitAsync(Collection.Products, p, ids.Select(i => (DocumentWrite)new DocumentWrite.Create(i, "{}")).ToArray());

        var read = await Store.ReadAsync(Collection.Products, p, ids, []);
        Assert.Equal(ids.Order(StringComparer.Ordinal), read.Select(d => d.Id).Order(StringComparer.Ordinal));
        var page = await Store.QueryAsync(Collection.Products, p, "ctl|", 10, null);
        Assert.Equal(ids.Order(StringComparer.Ordinal), (await AllAsync(page, "ctl|", p)).Order(StringComparer.Ordinal));
    }

    /// <summary>
    /// Found in review: a prefix's upper bound on Table Storage is the prefix with its last character plus one; for
    /// U+FFFF that wraps to U+0000 (an empty range), and the empty prefix's bound is "\uffff" itself, so ids starting
    /// with U+FFFF are never listed. The in-memory store and Cosmos (STARTSWITH) list them.
    /// </summary>
    [SkippableFact]
    public async Task A_prefix_query_finds_ids_whose_next_character_is_the_highest_one()
    {
        RequireStore();
        var p = NewPartition();
        await Store.CommitAsync(Collection.Runs, p, [new DocumentWrite.Create("\uffffa", "{}"), new DocumentWrite.Create("q\uffffz", "{}")]);

        Assert.Equal(["q\uffffz"], await AllAsync(await Store.QueryAsync(Collection.Runs, p, "q\uffff", 10, null), "q\uffff", p, Collection.Runs));
        Assert.Equal(["q\uffffz", "\uffffa"], await AllAsync(await Store.QueryAsync(Collection.Runs, p, "", 10, null), "", p, Collection.Runs));
    }

    /// <summary>
    /// Found in review: stores list ids in the order of their escaped keys ('%' is 0x25), so an id holding an escaped
    /// character ("o|$" before "o|#") may sort elsewhere than its raw text; <c>StoreKeys</c> claimed escaping kept raw
    /// order. The contract is now the order the store lists: pages and <see cref="QueryPosition.After"/> follow it, so
    /// every id is listed once, page by page or from any position (no reader relies on raw order across such ids).
    /// </summary>
    [SkippableFact]
    public async Task Ids_with_escaped_characters_are_listed_once_and_positions_follow_the_stores_order()
    {
        RequireStore();
        var p = NewPartition();
        string[] ids = ["o|#", "o|$", "o|&", "o|/", "o|0"];
        await Store.CommitAsync(Collection.Runs, p, ids.Reverse().Select(i => (DocumentWrite)new DocumentWrite.Create(i, "{}")).ToArray());

        var listed = await AllAsync(await Store.QueryAsync(Collection.Runs, p, "o|", 10, null), "o|", p, Collection.Runs);
        Assert.Equal(ids.Order(StringComparer.Ordinal), listed.Order(StringComparer.Ordinal)); // each once
        for (var k = 0; k < listed.Count; k++)
            Assert.Equal(listed[(k + 1)..], await AllAsync(await Store.QueryAsync(Collection.Runs, p, "o|", 10, QueryPosition.After(listed[k])), "o|", p, Collection.Runs));
        var paged = new List<string>();
        string? token = null;
        do
        {
            var page = await Store.QueryAsync(Collection.Runs, p, "o|", 1, token);
            paged.AddRange(page.Documents.Select(d => d.Id));
            token = page.ContinuationToken;
        } while (token is not null);
        Assert.Equal(listed, paged);
    }

    /// <summary>The ids of a page and of every page after it.</summary>
    private async Task<List<string>> AllAsync(DocumentPage first, string prefix, string partition, Collection collection = Collection.Products)
    {
        var ids = first.Documents.Select(d => d.Id).ToList();
        for (var (token, pages) = (first.ContinuationToken, 0); token is not null && pages < 30; pages++)
        {
            var page = await Store.QueryAsync(collection, partition, prefix, 100, token);
            ids.AddRange(page.Documents.Select(d => d.Id));
            token = page.ContinuationToken;
        }
        return ids;
    }

    [SkippableFact]
    public async Task Partitions_holding_a_document_are_listed_in_pages()
    {
        RequireStore();
        var tag = "doc-" + Guid.NewGuid().ToString("N");
        var parts = Enumerable.Range(0, 7).Select(_ => NewPartition()).ToArray();
        foreach (var p in parts) await Store.CommitAsync(Collection.Warehouses, p, [new DocumentWrite.Create(tag, "{}")]);
        await Store.CommitAsync(Collection.Warehouses, NewPartition(), [new DocumentWrite.Create("other", "{}")]);
        var seen = new List<string>();
        string? token = null;
        do
        {
            var (page, next) = await Store.ListPartitionsAsync(Collection.Warehouses, tag, 3, token);
            seen.AddRange(page);
            token = next;
        } while (token is not null);
        Assert.Equal(parts.Order(StringComparer.Ordinal), seen.Order(StringComparer.Ordinal));
    }

    [SkippableFact]
    public async Task Documents_with_one_id_are_queried_across_partitions_in_pages_with_their_partition()
    {
        RequireStore();
        var tag = "doc-" + Guid.NewGuid().ToString("N");
        var parts = Enumerable.Range(0, 7).Select(_ => NewPartition()).ToArray();
        foreach (var p in parts)
            await Store.CommitAsync(Collection.PurchaseOrders, p, [new DocumentWrite.Create(tag, $$"""{"p":"{{p}}"}"""), new DocumentWrite.Create(tag + "x", "{}")]);
        await Store.CommitAsync(Collection.PurchaseOrders, NewPartition(), [new DocumentWrite.Create("other", "{}")]);
        var seen = new List<PartitionDocument>();
        string? token = null;
        var calls = 0;
        do
        {
            var page = await Store.QueryAcrossPartitionsAsync(Collection.PurchaseOrders, tag, 3, token);
            Assert.True(page.Documents.Count <= 3);
            seen.AddRange(page.Documents);
            token = page.ContinuationToken;
        } while (token is not null && ++calls < 100);
        Assert.Equal(parts.Order(StringComparer.Ordinal), seen.Select(d => d.Partition));
        Assert.All(seen, d => Assert.Equal(tag, d.Document.Id));
        Assert.All(seen, d => Assert.Contains(d.Partition, d.Document.Body, StringComparison.Ordinal));
        Assert.All(seen, d => Assert.False(string.IsNullOrEmpty(d.Document.ETag)));
    }

    [SkippableFact]
    public async Task Keys_with_characters_illegal_in_store_keys_round_trip()
    {
        RequireStore();
        var sku = "SKU/1#2?3\\4%5 " + Guid.NewGuid().ToString("N");
        await Store.CommitAsync(Collection.Skus, sku, [new DocumentWrite.Create("sku", """{"s":1}""")]);
        Assert.Single(await Store.ReadAsync(Collection.Skus, sku, ["sku"], []));
        await Assert.ThrowsAsync<CommitConflictException>(() => Store.CommitAsync(Collection.Skus, sku, [new DocumentWrite.Create("sku", "{}")]));
    }

    [SkippableFact]
    public async Task A_commit_beyond_the_store_limit_is_refused_and_writes_nothing()
    {
        RequireStore();
        var p = NewPartition();
        var writes = Enumerable.Range(0, Store.Limits.MaxWritesPerCommit + 1)
            .Select(i => (DocumentWrite)new DocumentWrite.Create($"d{i:D4}", "{}")).ToArray();
        var e = await Assert.ThrowsAsync<TransactionTooLargeException>(() => Store.CommitAsync(Collection.Products, p, writes));
        Assert.Contains(Store.Limits.MaxWritesPerCommit.ToString(System.Globalization.CultureInfo.InvariantCulture), e.Message, StringComparison.Ordinal);
        Assert.Empty(await Store.ReadAsync(Collection.Products, p, [], ["d"]));
    }

    [SkippableFact]
    public async Task A_commit_at_the_store_limit_is_applied_whole()
    {
        RequireStore();
        var p = NewPartition();
        var writes = Enumerable.Range(0, Store.Limits.MaxWritesPerCommit)
            .Select(i => (DocumentWrite)new DocumentWrite.Create($"d{i:D4}", "{}")).ToArray();
        await Store.CommitAsync(Collection.Products, p, writes);
        Assert.Equal(writes.Length, (await Store.ReadAsync(Collection.Products, p, [], ["d"])).Count);
    }

    [SkippableFact]
    public async Task A_document_beyond_the_store_limit_is_refused_and_writes_nothing()
    {
        RequireStore();
        var p = NewPartition();
        var big = BodyOf(Store.Limits.MaxDocumentBytes + 64);
        await Assert.ThrowsAsync<TransactionTooLargeException>(() => Store.CommitAsync(Collection.Quarantine, p,
            [new DocumentWrite.Create("small", "{}"), new DocumentWrite.Upsert("big", big)]));
        Assert.Empty(await Store.ReadAsync(Collection.Quarantine, p, ["small", "big"], []));
    }

    [SkippableFact]
    public async Task A_document_within_the_store_limit_is_kept_whole()
    {
        RequireStore();
        var p = NewPartition();
        var body = BodyOf(Store.Limits.MaxDocumentBytes * 9L / 10);
        await Store.CommitAsync(Collection.Quarantine, p, [new DocumentWrite.Create("big", body)]);
        Assert.Equal(body, (await One(Collection.Quarantine, p, "big")).Body.Replace(" ", "", StringComparison.Ordinal));
    }

    [SkippableFact]
    public async Task A_commit_beyond_the_store_size_is_refused_and_writes_nothing()
    {
        RequireStore();
        var p = NewPartition();
        var documentBytes = Store.Limits.MaxDocumentBytes * 9L / 10;
        var count = (int)(Store.Limits.MaxCommitBytes / documentBytes) + 2;
        Assert.True(count <= Store.Limits.MaxWritesPerCommit, "the commit must be too large by size, not by count");
        var body = BodyOf(documentBytes);
        var writes = Enumerable.Range(0, count).Select(i => (DocumentWrite)new DocumentWrite.Create($"d{i:D3}", body)).ToArray();
        var e = await Assert.ThrowsAsync<TransactionTooLargeException>(() => Store.CommitAsync(Collection.Products, p, writes));
        Assert.Contains(Store.Limits.MaxCommitBytes.ToString(System.Globalization.CultureInfo.InvariantCulture), e.Message, StringComparison.Ordinal);
        Assert.Empty(await Store.ReadAsync(Collection.Products, p, [], ["d"]));
    }

    [SkippableTheory]
    [InlineData("create")]
    [InlineData("upsert")]
    [InlineData("replace")]
    [InlineData("delete")]
    public async Task A_commit_naming_a_document_twice_is_refused_and_writes_nothing(string second)
    {
        RequireStore();
        var p = NewPartition();
        await Store.CommitAsync(Collection.Products, p, [new DocumentWrite.Create("a", """{"v":1}""")]);
        var a = await One(Collection.Products, p, "a");
        DocumentWrite again = second switch
        {
            "create" => new DocumentWrite.Create("b", """{"v":2}"""),
            "upsert" => new DocumentWrite.Upsert("a", """{"v":2}"""),
            "replace" => new DocumentWrite.Replace("a", """{"v":2}""", a.ETag),
            _ => new DocumentWrite.Delete("a", a.ETag),
        };
        var first = again.Id == "b" ? (DocumentWrite)new DocumentWrite.Create("b", """{"v":1}""") : new DocumentWrite.Replace("a", """{"v":3}""", a.ETag);
        await Assert.ThrowsAsync<ArgumentException>(() => Store.CommitAsync(Collection.Products, p,
            [first, new DocumentWrite.Create("c", "{}"), again]));
        Assert.Equal(a.ETag, (await One(Collection.Products, p, "a")).ETag);
        Assert.Empty(await Store.ReadAsync(Collection.Products, p, ["b", "c"], []));
    }

    [SkippableFact]
    public async Task A_failing_commit_applies_none_of_its_writes_upserts_included()
    {
        RequireStore();
        var p = NewPartition();
        await Store.CommitAsync(Collection.Holds, p, [new DocumentWrite.Create("u", """{"v":1}"""), new DocumentWrite.Create("x", "{}")]);
        var u = await One(Collection.Holds, p, "u");
        var e = await Assert.ThrowsAsync<CommitConflictException>(() => Store.CommitAsync(Collection.Holds, p,
        [
            new DocumentWrite.Upsert("u", """{"v":2}"""),
            new DocumentWrite.Upsert("new", "{}"),
            new DocumentWrite.Create("x", "{}"), // exists
        ]));
        Assert.Equal(ConflictKind.AlreadyExists, e.Kind);
        Assert.Equal(u.ETag, (await One(Collection.Holds, p, "u")).ETag);
        Assert.Empty(await Store.ReadAsync(Collection.Holds, p, ["new"], []));
    }

    [SkippableFact]
    public async Task Pages_hold_at_most_the_page_size_and_tokens_lead_through_every_document_once()
    {
        RequireStore();
        var p = NewPartition();
        var ids = Enumerable.Range(0, 7).Select(i => $"m|{i}").ToArray();
        await Store.CommitAsync(Collection.Runs, p, ids.Select(i => (DocumentWrite)new DocumentWrite.Create(i, "{}")).ToArray());
        var seen = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            // Pages may be short, even empty, while a token says more may follow: only a missing token ends the query.
            var page = await Store.QueryAsync(Collection.Runs, p, "m|", 1, token);
            Assert.InRange(page.Documents.Count, 0, 1);
            seen.AddRange(page.Documents.Select(d => d.Id));
            token = page.ContinuationToken;
        } while (token is not null && ++pages < 50);
        Assert.Equal(ids, seen);
    }

    [SkippableFact]
    public async Task A_query_matching_nothing_is_one_empty_page_without_a_token()
    {
        RequireStore();
        var p = NewPartition();
        await Store.CommitAsync(Collection.Runs, p, [new DocumentWrite.Create("a", "{}")]);
        string? token = null;
        var pages = 0;
        do
        {
            var page = await Store.QueryAsync(Collection.Runs, p, "zz|", 10, token);
            Assert.Empty(page.Documents);
            token = page.ContinuationToken;
        } while (token is not null && ++pages < 10);
        Assert.Null(token);
        var empty = await Store.QueryAsync(Collection.Runs, NewPartition(), "", 10, null);
        Assert.Equal((0, null), (empty.Documents.Count, empty.ContinuationToken));
    }

    [SkippableTheory]
    [InlineData("not a token")]
    [InlineData("bm90LWEtdG9rZW4")]
    public async Task A_token_the_store_did_not_issue_is_refused(string token)
    {
        RequireStore();
        var p = NewPartition();
        await Store.CommitAsync(Collection.Runs, p, [new DocumentWrite.Create("a", "{}"), new DocumentWrite.Create("b", "{}")]);
        await Assert.ThrowsAsync<InvalidContinuationTokenException>(() => Store.QueryAsync(Collection.Runs, p, "", 1, token));
    }

    [SkippableFact]
    public async Task A_key_longer_than_the_store_allows_is_refused_and_writes_nothing()
    {
        RequireStore();
        var p = NewPartition();
        var longId = new string('k', 1100);
        await Assert.ThrowsAnyAsync<Exception>(() => Store.CommitAsync(Collection.Products, p, [new DocumentWrite.Create("a", "{}"), new DocumentWrite.Create(longId, "{}")]));
        Assert.Empty(await Store.ReadAsync(Collection.Products, p, ["a"], []));
        var longPartition = p + new string('p', 1100);
        await Assert.ThrowsAnyAsync<Exception>(() => Store.CommitAsync(Collection.Products, longPartition, [new DocumentWrite.Create("a", "{}")]));
    }
}
