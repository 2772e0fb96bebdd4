using Inventory.Application;
using Inventory.Application.Orders;
using Inventory.Application.Stock;
using Inventory.Core.Tests.Coalescing;
using Inventory.Domain;
using Inventory.Storage;
using Inventory.Testing;

namespace Inventory.Core.Tests.Ledger;

/// <summary>
/// Issue 14: the ledger entries of one stock commit are packed, so a coalesced batch of N reservations writes two ledger
/// documents, not N (its first entry alone, the one two commits decided on one state collide on, then the rest in one pack
/// carrying the product's state after the commit); the ledger route still lists entries one by one, newest first, paged, whatever
/// the mix of packs and the single-entry documents written before packs; audit and archival read packs.
/// </summary>
public sealed class LedgerPackTests
{
    private static Func<Task<ReserveResult>>[] Reservations(HotProduct p, string prefix, int count) =>
        Enumerable.Range(0, count).Select(i => (Func<Task<ReserveResult>>)(() =>
            p.App.Reserve.ExecuteAsync(new ReserveCommand($"{prefix}{i:D2}", [new(HotProduct.Id, 1)])))).ToArray();

    private static async Task<IReadOnlyList<LedgerEntry>> PagedAsync(InventoryApplication app, int pageSize)
    {
        var entries = new List<LedgerEntry>();
        string? token = null;
        do
        {
            var page = await app.Stock.GetLedgerAsync(HotProduct.Id, pageSize, token);
            Assert.InRange(page.Entries.Count, 0, pageSize);
            entries.AddRange(page.Entries);
            token = page.ContinuationToken;
        } while (token is not null);
        return entries;
    }

    private static string Lines(IEnumerable<LedgerEntry> entries) => string.Join("\n", entries.Select(DocumentJson.Write));

    [Fact]
    public async Task A_coalesced_batch_of_reservations_writes_its_first_entry_alone_and_the_rest_in_one_pack_carrying_the_state()
    {
        var p = await HotProduct.CreateAsync();
        var results = await p.InOneBatchAsync(Reservations(p, "O", 12));

        foreach (var r in results) Assert.Equal(1, (await r).Reservation.Lines[0].Reserved);
        var batch = Assert.Single(p.Store.ProductCommits, c => ReservationWrites.Reserves(c, "O"));
        var ledger = batch.Where(w => w.Id.StartsWith(ProductPartitionIds.LedgerPrefix, StringComparison.Ordinal))
            .Select(w => Assert.IsType<DocumentWrite.Create>(w)).OrderByDescending(w => w.Id, StringComparer.Ordinal).ToArray();
        // The first entry in a document of its own (the one two commits decided on the same state would both create), then
        // every other entry in one pack, named by its last entry (newest first still) and carrying the state after the batch.
        Assert.Equal(2, ledger.Length);
        var first = LedgerPack.Read(ledger[0].Body);
        var pack = LedgerPack.Read(ledger[1].Body);
        Assert.Equal(("O00", ProductPartitionIds.Ledger(first[0].Sequence)), (Assert.Single(first).ReferenceId, ledger[0].Id));
        Assert.Null(LedgerPack.StateOf(ledger[0].Body));
        Assert.Equal(11, pack.Count);
        Assert.Equal(first[0].Sequence + 1, pack[0].Sequence);
        Assert.Equal(ProductPartitionIds.Ledger(pack[^1].Sequence), ledger[1].Id);
        var state = Assert.IsType<StockHead>(LedgerPack.StateOf(ledger[1].Body));
        Assert.Equal(pack[^1].Sequence, state.LedgerSequence);
        Assert.Equal(12, state.Balances!.Sum(b => b.QuantityReserved));
        // one reservation pack and the two ledger documents: no head (the state rides in the ledger)
        Assert.DoesNotContain(batch, w => w.Id == ProductPartitionIds.Head);
        Assert.Equal(3, batch.Count);

        var listed = (await PagedAsync(p.App, 5)).Where(e => e.ReferenceId.StartsWith('O')).ToArray();
        Assert.Equal(Enumerable.Range(0, 12).Select(i => $"O{i:D2}").Reverse(), listed.Select(e => e.ReferenceId));
        await p.Scenario.AssertBooksBalanceAsync(HotProduct.Id);
    }

    [Fact]
    public async Task A_pack_stores_what_its_entries_share_once_and_reads_every_entry_back_whole()
    {
        var p = await HotProduct.CreateAsync();
        await p.InOneBatchAsync(Reservations(p, "O", 12));
        var batch = Assert.Single(p.Store.ProductCommits, c => ReservationWrites.Reserves(c, "O"));
        // The batch's pack: every entry but the first (alone in its own document), with the state after the batch.
        var stored = Assert.Single(batch, w => w.Id.StartsWith(ProductPartitionIds.LedgerPrefix, StringComparison.Ordinal)
            && LedgerPack.Read(((DocumentWrite.Create)w).Body).Count > 1);
        var body = Assert.IsType<DocumentWrite.Create>(stored).Body;

        using var json = System.Text.Json.JsonDocument.Parse(body);
        var shared = json.RootElement.GetProperty("shared");
        Assert.Equal("P", shared.GetProperty("productId").GetString()); // the same in every entry: once
        Assert.Equal("reserve", shared.GetProperty("txnType").GetString());
        Assert.All(json.RootElement.GetProperty("entries").EnumerateArray(), e =>
        {
            Assert.False(e.TryGetProperty("productId", out _));
            Assert.True(e.TryGetProperty("referenceId", out _)); // differs: in each entry
        });
        var whole = LedgerPack.Read(body);
        Assert.Equal(11, whole.Count);
        Assert.All(whole, e => Assert.Equal((HotProduct.Id, TxnType.Reserve, "Order"), (e.ProductId, e.TxnType, e.ReferenceType)));
        var state = Assert.IsType<StockHead>(LedgerPack.StateOf(body));
        Assert.Equal(whole[^1].Sequence, state.LedgerSequence);
        // Written whole (as before values were shared, beside the same state), the same entries read the same.
        var unshared = DocumentJson.Write(new { state, entries = whole });
        Assert.Equal(Lines(whole), Lines(LedgerPack.Read(unshared)));
        Assert.True(body.Length < unshared.Length * 3 / 4, $"{body.Length} bytes shared against {unshared.Length}");
        await p.Scenario.AssertBooksBalanceAsync(HotProduct.Id);
    }

    [Fact]
    public async Task A_lone_commit_writes_its_entry_whole_in_one_document_with_the_state_after_it()
    {
        var p = await HotProduct.CreateAsync();
        await p.App.Reserve.ExecuteAsync(new ReserveCommand("lone", [new(HotProduct.Id, 1)]));

        var commit = p.Store.ProductCommits.Single(c => ReservationWrites.Orders(c).Contains("lone"));
        var ledger = Assert.IsType<DocumentWrite.Create>(Assert.Single(commit, w => w.Id.StartsWith(ProductPartitionIds.LedgerPrefix, StringComparison.Ordinal)));
        Assert.DoesNotContain(commit, w => w.Id == ProductPartitionIds.Head);
        // {"state":{...},"shared":{},"entries":[{the whole entry}]}: nothing to share in a pack of one.
        using var json = System.Text.Json.JsonDocument.Parse(ledger.Body);
        Assert.Empty(json.RootElement.GetProperty("shared").EnumerateObject());
        var stored = Assert.Single(json.RootElement.GetProperty("entries").EnumerateArray());
        var entry = System.Text.Json.JsonSerializer.Deserialize<LedgerEntry>(stored, DocumentJson.Options)!; // the whole entry, as a bare entry was stored
        Assert.Equal(DocumentJson.Write(entry), DocumentJson.Write(Assert.Single(LedgerPack.Read(ledger.Body))));
        Assert.Equal(ProductPartitionIds.Ledger(entry.Sequence), ledger.Id);
        Assert.Equal(("lone", HotProduct.Id, TxnType.Reserve), (entry.ReferenceId, entry.ProductId, entry.TxnType));
        var state = Assert.IsType<StockHead>(LedgerPack.StateOf(ledger.Body));
        Assert.Equal(entry.Sequence, state.LedgerSequence);
        Assert.Equal(1, state.Balances!.Single(b => b.LocationId == entry.LocationId).QuantityReserved);
    }

    [Fact]
    public void A_pack_carrying_the_largest_state_estimates_its_stored_bytes_from_above()
    {
        // The largest state the layout allows (StockDocumentTests), timestamps everywhere: a node writes each '+' escaped.
        var at = new DateTimeOffset(2026, 11, 30, 3, 40, 0, TimeSpan.Zero).AddTicks(1_234_567);
        var balances = Enumerable.Range(0, StockLayout.MaxHeadBalances).Select(i => new StockBalance
        {
            LocationId = i.ToString("D4", System.Globalization.CultureInfo.InvariantCulture).PadRight(128, 'l'), WarehouseId = new string('w', 128),
            LocationType = LocationType.Overflow, QuantityOnHand = 999_999_999, QuantityReserved = 999_999_998, LastCountedAt = at, LastMovedAt = at,
        }).ToArray();
        var shipped = Enumerable.Range(0, 90).ToDictionary(d => $"2026-{d / 28 + 1:D2}-{d % 28 + 1:D2}", _ => 999_999_999L);
        var state = new StockHead(new string('p', 128), long.MaxValue, shipped, balances);
        var entries = Enumerable.Range(1, 3).Select(i => new LedgerEntry
        {
            TxnId = $"ADJUST:{i}", Sequence = i, ProductId = state.ProductId, LocationId = balances[0].LocationId, TxnType = TxnType.Adjust,
            Quantity = i, OnHandDelta = i, ReferenceId = $"r-{i}", ReferenceType = "Adjustment", PerformedBy = "api", CreatedAt = at.AddSeconds(i),
        }).ToArray();

        foreach (var count in new[] { 1, 2, 3 })
            foreach (var pack in LedgerPack.Of(entries[..count], InMemoryDocumentStore.Strictest.MaxDocumentBytes, state))
            {
                var stored = InMemoryDocumentStore.DocumentBytes(DocumentJson.Write(pack.Document));
                Assert.True(pack.Bytes >= stored, $"{count} entries, a pack of {pack.Entries.Count}: estimated {pack.Bytes} bytes, stored {stored}");
            }
    }

    /// <summary>Packs of 1 to 13 entries (batches, a transfer's two) over stock with checkpoints every 10 entries.</summary>
    private static async Task<HotProduct> MixedAsync()
    {
        var p = await HotProduct.CreateAsync(ledger: new LedgerOptions { CheckpointEvery = 10 });
        await p.App.Receive.ExecuteAsync(new ReceiveCommand(HotProduct.Id, "L1", 1000, "more"));
        var batch = 0;
        foreach (var size in new[] { 5, 1, 9, 2, 13, 3, 7, 1, 11 })
        {
            await p.InOneBatchAsync(Reservations(p, $"b{batch}-", size), $"blocker-{batch}");
            await p.App.Transfer.ExecuteAsync(new TransferCommand(HotProduct.Id, "L1", "L2", 1, $"t-{batch}"));
            batch++;
        }
        return p;
    }

    [Fact]
    public async Task Pages_of_1_7_and_100_list_the_same_entries_over_packs_and_over_the_layout_before_packs()
    {
        var p = await MixedAsync();
        var docs = await HotLedger.DocumentsAsync(p.Memory, HotProduct.Id);
        var entries = await HotLedger.EntriesAsync(p.Memory, HotProduct.Id);
        // A commit of several entries: its first alone, the rest in one pack carrying the state (the 13 reservations: 1 + 12).
        var packs = docs.Where(d => LedgerPack.StateOf(d.Body) is not null).ToArray();
        Assert.True(packs.Length < entries.Count / 2, $"{packs.Length} commits' packs for {entries.Count} entries");
        Assert.All(docs.Except(packs), d => Assert.Single(LedgerPack.Read(d.Body)));
        Assert.True(docs.Count <= 2 * packs.Length, $"{docs.Count} documents for {packs.Length} commits");
        Assert.Contains(docs, d => LedgerPack.Read(d.Body).Count == 12);
        var head = entries[0].Sequence;
        Assert.Equal(Enumerable.Range(1, (int)head).Select(i => (long)i).Reverse(), entries.Select(e => e.Sequence)); // gapless, newest first

        var packed = Lines(await PagedAsync(p.App, 100));
        Assert.Equal(Lines(entries), packed);
        foreach (var size in new[] { 1, 7 }) Assert.Equal(packed, Lines(await PagedAsync(p.App, size)));

        // The older half in the layout every product had before packs (one document per entry), the newer half packed.
        await HotLedger.UnpackAsync(p.Memory, HotProduct.Id, head / 2);
        foreach (var size in new[] { 1, 7, 100 }) Assert.Equal(packed, Lines(await PagedAsync(p.App, size)));
        // All of it as before packs.
        await HotLedger.UnpackAsync(p.Memory, HotProduct.Id);
        Assert.Equal(entries.Count, (await HotLedger.DocumentsAsync(p.Memory, HotProduct.Id)).Count);
        foreach (var size in new[] { 1, 7, 100 }) Assert.Equal(packed, Lines(await PagedAsync(p.App, size)));
        var audit = await p.App.Invariants.CheckAsync(HotProduct.Id);
        Assert.True(audit.Holds, string.Join("\n", audit.Violations));
    }

    [Fact]
    public async Task Paging_reads_a_document_at_most_twice_plus_once_a_page()
    {
        CountingStore? counting = null;
        var p = await HotProduct.CreateAsync(underGate: m => counting = new CountingStore(m), ledger: new LedgerOptions { CheckpointEvery = 10 });
        await p.App.Receive.ExecuteAsync(new ReceiveCommand(HotProduct.Id, "L1", 10_000, "more"));
        for (var batch = 0; batch < 12; batch++) await p.InOneBatchAsync(Reservations(p, $"b{batch}-", 30), $"blocker-{batch}");
        var documents = (await HotLedger.DocumentsAsync(p.Memory, HotProduct.Id)).Count;
        var entries = (await HotLedger.EntriesAsync(p.Memory, HotProduct.Id)).Count;

        foreach (var size in new[] { 7, 100 })
        {
            counting!.Reset();
            var pages = (entries + size - 1) / size;
            Assert.Equal(entries, (await PagedAsync(p.App, size)).Count);
            var read = counting.DocumentsReadWithPrefix(ProductPartitionIds.LedgerPrefix);
            // A document is read when a page passes it and at most once more when a later page takes the rest of it, plus once
            // for each page that goes on inside it: far fewer than the one document per entry before packs. Each page also
            // reads the product's newest ledger document once, for the product's state (its escrow buckets, where the head
            // was read before: ProductPartitions.LedgerSourcesAsync), which is no entry the page lists.
            var state = pages;
            Assert.True(read <= 2 * documents + pages + state && read - state < entries / 3,
                $"page size {size}: {read} ledger documents read for {documents} documents, {entries} entries, {pages} pages");
        }
    }

    [Fact]
    public async Task A_page_ending_inside_a_pack_goes_on_inside_it_and_a_forged_position_is_a_validation_error()
    {
        var p = await MixedAsync();
        var first = await p.App.Stock.GetLedgerAsync(HotProduct.Id, 3);
        var second = await p.App.Stock.GetLedgerAsync(HotProduct.Id, 3, first.ContinuationToken);
        Assert.Equal(first.Entries[^1].Sequence - 1, second.Entries[0].Sequence);
        Assert.Equal((await HotLedger.HoldingAsync(p.Memory, HotProduct.Id, first.Entries[^1].Sequence)).Id,
            (await HotLedger.HoldingAsync(p.Memory, HotProduct.Id, second.Entries[0].Sequence)).Id); // the first page ended inside this pack

        await Assert.ThrowsAsync<ValidationException>(() => p.App.Stock.GetLedgerAsync(HotProduct.Id, 3, "h.5.~x~"));
    }

    [Fact]
    public async Task Quick_and_full_audits_read_packs_and_find_an_entry_tampered_inside_one()
    {
        var p = await MixedAsync();
        var pages = new List<InvariantReport>();
        for (string? token = null; pages.Count == 0 || token is not null; token = pages[^1].ContinuationToken)
            pages.Add(await p.App.Invariants.CheckFullAsync(HotProduct.Id, token));
        Assert.All(pages, r => Assert.True(r.Holds, string.Join("\n", r.Violations)));
        Assert.Equal(0, pages[^1].VerifiedDownTo);

        var inPack = (await HotLedger.DocumentsAsync(p.Memory, HotProduct.Id)).Select(d => LedgerPack.Read(d.Body)).First(e => e.Count > 5);
        await HotLedger.TamperAsync(p.Memory, HotProduct.Id, inPack[2].Sequence, e => e with { ReservedDelta = e.ReservedDelta + 1 });
        var full = new List<string>();
        for (string? token = null; ; )
        {
            var page = await p.App.Invariants.CheckFullAsync(HotProduct.Id, token);
            full.AddRange(page.Violations);
            if ((token = page.ContinuationToken) is null) break;
        }
        Assert.Contains(full, v => v.StartsWith($"entry {inPack[2].Sequence} ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Archival_moves_whole_packs_up_to_a_checkpoint_and_the_ledger_reads_as_before()
    {
        var clock = new ManualClock(new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero));
        var archive = new InMemoryLedgerArchive();
        var p = await HotProduct.CreateAsync(ledger: new LedgerOptions { CheckpointEvery = 10, ArchiveAfterDays = 30 }, archive: archive, clock: clock);
        await p.App.Receive.ExecuteAsync(new ReceiveCommand(HotProduct.Id, "L1", 10_000, "more"));
        for (var day = 0; clock.GetUtcNow() < new DateTimeOffset(2026, 4, 8, 0, 0, 0, TimeSpan.Zero); day++)
        {
            await p.InOneBatchAsync(Reservations(p, $"d{day}-", 1 + day % 9), $"blocker-{day}");
            clock.Advance(TimeSpan.FromDays(3));
        }
        clock.Advance(new DateTimeOffset(2026, 4, 10, 3, 30, 0, TimeSpan.Zero) - clock.GetUtcNow());
        var before = Lines(await PagedAsync(p.App, 100));

        var result = await p.App.LedgerArchival.ArchiveAsync(HotProduct.Id);

        Assert.Null(result.Problem);
        var parts = await archive.ListAsync(HotProduct.Id);
        Assert.Equal(["2026-01", "2026-02"], parts.Select(x => x.Month));
        var archived = parts[^1].LastSequence;
        Assert.Equal(archived, result.EntriesMoved);
        var ledger = new ArchivedLedger(archive);
        foreach (var part in parts) Assert.Equal(part.Entries, (await ledger.ReadPartAsync(part, default)).Count); // one entry a line
        var hot = await HotLedger.EntriesAsync(p.Memory, HotProduct.Id);
        Assert.All(hot, e => Assert.True(e.Sequence > archived));
        Assert.Equal(archived + 1, hot[^1].Sequence); // no pack was cut: what stays hot starts right after the part
        foreach (var size in new[] { 1, 7, 100 }) Assert.Equal(before, Lines(await PagedAsync(p.App, size)));
        var pages = new List<InvariantReport>();
        for (string? token = null; pages.Count == 0 || token is not null; token = pages[^1].ContinuationToken)
            pages.Add(await p.App.Invariants.CheckFullAsync(HotProduct.Id, token));
        Assert.All(pages, r => Assert.True(r.Holds, string.Join("\n", r.Violations)));
        Assert.True(pages.Sum(r => r.ArchivedEntries) > 0);
    }

    [Fact]
    public async Task A_commit_beyond_one_documents_size_is_split_into_packs_ending_at_its_last_entry()
    {
        var p = await HotProduct.CreateAsync(limits: new StoreLimits(100, 2 * 1024 * 1024, 8 * 1024, "small documents"),
            ledger: new LedgerOptions { CheckpointEvery = 10 });
        await p.App.Receive.ExecuteAsync(new ReceiveCommand(HotProduct.Id, "L1", 1000, "more"));
        await p.InOneBatchAsync(Reservations(p, "O", 30));

        var batch = Assert.Single(p.Store.ProductCommits, c => ReservationWrites.Reserves(c, "O"));
        var packs = batch.Where(w => w.Id.StartsWith(ProductPartitionIds.LedgerPrefix, StringComparison.Ordinal))
            .Select(w => LedgerPack.Read(((DocumentWrite.Create)w).Body)).ToArray();
        Assert.InRange(packs.Length, 2, 29);
        Assert.All(batch, w => Assert.InRange(InMemoryDocumentStore.DocumentBytes(w is DocumentWrite.Create c ? c.Body : "{}"), 1, 8 * 1024));
        Assert.Equal(30, packs.Sum(x => x.Count));
        var checkpoint = Assert.Single(batch, w => w.Id.StartsWith(ProductPartitionIds.CheckpointPrefix, StringComparison.Ordinal));
        Assert.Equal(ProductPartitionIds.Checkpoint(packs.Max(x => x[^1].Sequence)), checkpoint.Id);
        foreach (var size in new[] { 1, 7, 100 })
            Assert.Equal(Lines(await HotLedger.EntriesAsync(p.Memory, HotProduct.Id)), Lines(await PagedAsync(p.App, size)));
        await p.Scenario.AssertBooksBalanceAsync(HotProduct.Id);
    }
}
