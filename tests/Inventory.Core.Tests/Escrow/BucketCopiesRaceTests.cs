using Inventory.Application;
using Inventory.Application.Escrow;
using Inventory.Application.Orders;
using Inventory.Domain;
using Inventory.Storage;
using Inventory.Testing;

namespace Inventory.Core.Tests.Escrow;

/// <summary>
/// Issue 14: a save's copies into its product's buckets are a saga the sweep finishes; these races (from a review) each once
/// left a bucket deciding on the product as it was, with no open entry for the sweep: a save's or the sweep's delist removing
/// another save's entry, the sweep ending a save that had not written yet, a bucket made between a save's read and write,
/// a bucket marked but not made when the save copied, and a save whose reads of the product and the marks tore.
/// </summary>
public class BucketCopiesRaceTests
{
    private static ReserveCommand Order(string id) => new(id, [new(EscrowWorld.Product, 1)]);

    private static async Task<EscrowWorld> InEscrowAsync()
    {
        var w = await EscrowWorld.CreateAsync(atL1: 100);
        for (var b = 1; b <= 2; b++) await w.Instance(b).Reserve.ExecuteAsync(Order($"O{b}"));
        return w;
    }

    private static async Task<Product> ProductAsync(EscrowWorld w, string id = EscrowWorld.Product) =>
        (await new ProductPartitions(w.Memory).ProductAsync(id, CancellationToken.None))!;

    private static bool IsProductWrite(Collection c, string p, IReadOnlyList<DocumentWrite>? w) =>
        c == Collection.Products && p == EscrowWorld.Product && w is not null && w.Any(x => x.Id == ProductPartitionIds.Product);

    private static bool IsCopyInto(Collection c, string p, IReadOnlyList<DocumentWrite>? w) =>
        c == Collection.Products && p.StartsWith(EscrowWorld.Product + "~", StringComparison.Ordinal) && w is not null;

    private static bool IsOpenSagaWrite(Collection c, string p, IReadOnlyList<DocumentWrite>? w) =>
        c == Collection.Orders && p.StartsWith(OrderHeaders.OpenPartitionPrefix, StringComparison.Ordinal) && w is not null;

    private static bool IsOpenSagaRead(Collection c, string p, IReadOnlyList<DocumentWrite>? w) =>
        c == Collection.Orders && p.StartsWith(OrderHeaders.OpenPartitionPrefix, StringComparison.Ordinal) && w is null;

    /// <summary>Whether the product has been written inactive (by the save under test), from then on.</summary>
    private static Func<bool> WrittenInactive(EscrowWorld world)
    {
        var written = new System.Runtime.CompilerServices.StrongBox<bool>();
        world.Memory.AfterCommit = (c, p, w) =>
        {
            if (c == Collection.Products && p == EscrowWorld.Product && w.Any(x => x.Id == ProductPartitionIds.Product && x is DocumentWrite.Replace r
                && !DocumentJson.Read<Product>(r.Body).IsActive)) written.Value = true;
        };
        return () => written.Value;
    }

    /// <summary>Sweeps as the timer would, well after everything above, then asserts each bucket's copy is the product's.</summary>
    private static async Task AssertSweepLeavesCopiesAsync(EscrowWorld world, params int[] buckets)
    {
        var sweep = new ManualClock(DateTimeOffset.UtcNow.AddMinutes(5));
        var swept = await world.Instance(3, sweep).RecoverOrders.ExecuteAsync();
        var product = await ProductAsync(world);
        foreach (var b in buckets)
            Assert.True(product.IsActive == (await ProductAsync(world, $"P~{b}")).IsActive,
                $"bucket {b}: copy IsActive={!product.IsActive}, product IsActive={product.IsActive}; sweep saw {swept}");
    }

    /// <summary>
    /// Makes bucket 1 (marked, made from the product as it still is) while <paramref name="save"/>, deactivating the
    /// product, is held; then lets the save write and its instance die; then sweeps and asserts the bucket's copy.
    /// </summary>
    private static async Task MakeBucketThenLetTheSaveDieAsync(EscrowWorld world, SteeredStore save, Task saving)
    {
        await world.Instance(1).Escrow.CreateAsync(EscrowWorld.Bucket(1), CancellationToken.None);
        save.Release();
        await Assert.ThrowsAsync<StoreFaultException>(() => saving); // the product written inactive, then the instance died
        world.Memory.AfterCommit = null;
        Assert.False((await ProductAsync(world)).IsActive);
        await AssertSweepLeavesCopiesAsync(world, 1);
    }

    /// <summary>
    /// Bucket 1's maker (instance 1), held after marking it and reading the product, before making the bucket; let go, it
    /// makes the bucket and dies at its next write there (its re-copy, if it makes one).
    /// </summary>
    private static async Task<(SteeredStore Maker, Task Making)> MakerHeldThenDyingAtItsRecopyAsync(EscrowWorld world)
    {
        var makerCommits = 0;
        var maker = new SteeredStore(world.Store)
        {
            HoldCommit = (c, p, w) => p == "P~1" && w is not null,
            Fail = (c, p, w) => p == "P~1" && w is not null && Interlocked.Increment(ref makerCommits) == 2,
        };
        var making = EscrowWorld.Over(maker, 1).Escrow.CreateAsync(EscrowWorld.Bucket(1), CancellationToken.None);
        await maker.Holding;
        return (maker, making);
    }

    /// <summary>
    /// Awaits a stalled writer let go: it ends, or it dies at a write the test fails (what it did before the fix under
    /// test); either way the assertions after it are on what it left.
    /// </summary>
    private static async Task EndedOrDiedAsync(Task writer)
    {
        try { await writer; }
        catch (StoreFaultException) { }
    }

    // 1. EndAsync (DelistAsync) reads the entry as it is now and deletes it under that ETag: a save's delist removes the entry
    //    a second save enlisted after it, whose copies then fail. Nothing is left for the sweep.
    [Fact]
    public async Task A_saves_delist_does_not_remove_the_entry_of_a_later_save_whose_copies_failed()
    {
        var world = await InEscrowAsync();
        var product = await ProductAsync(world);

        var a = new SteeredStore(world.Store) { Hold = IsOpenSagaRead }; // A: its delist's read of the entry is slow
        var first = EscrowWorld.Over(a, 3).SaveProduct.ExecuteAsync(product with { IsActive = false });
        await a.Holding; // A wrote the product (inactive) and its copies, and is about to delist

        var b = new SteeredStore(world.Store) { Fail = IsCopyInto }; // B: its copies fail (the save answers an error)
        var reactivated = (await ProductAsync(world)) with { IsActive = true };
        await Assert.ThrowsAsync<StoreFaultException>(() => EscrowWorld.Over(b, 3).SaveProduct.ExecuteAsync(reactivated));

        Assert.InRange((await world.Instance(3).RecoverOrders.ExecuteAsync()).Open, 1, 2); // B's entry is there (not due yet), A's too
        a.Release();
        await first; // deletes B's entry (re-read, and deleted under its new ETag)

        await AssertSweepLeavesCopiesAsync(world, 1, 2);
    }

    // 1b. The same in the sweep: its resume of an old entry delists a save that enlisted after the resume's copies.
    [Fact]
    public async Task The_sweeps_delist_does_not_remove_the_entry_of_a_save_made_while_it_resumed()
    {
        var world = await InEscrowAsync();
        var product = await ProductAsync(world);
        // X: a save whose copies failed, never retried: its entry waits for the sweep.
        var x = new SteeredStore(world.Store) { Fail = IsCopyInto };
        await Assert.ThrowsAsync<StoreFaultException>(() => EscrowWorld.Over(x, 3).SaveProduct.ExecuteAsync(product with { IsActive = false }));

        var s = new SteeredStore(world.Store) { HoldCommit = IsOpenSagaWrite }; // the sweep read X's entry, copied, and is about to delist it
        var sweepClock = new ManualClock(DateTimeOffset.UtcNow.AddMinutes(5));
        var sweeping = Task.Run(async () =>
        {
            // The sweep's own enumeration is a query, not a read: the first read of an entry is its delist's.
            return await EscrowWorld.Over(s, 3, sweepClock).RecoverOrders.ExecuteAsync();
        });
        await s.Holding; // the sweep copied X's save (inactive) into the buckets, and is about to delist

        var y = new SteeredStore(world.Store) { Fail = IsCopyInto }; // Y: reactivates, its copies fail
        var reactivated = (await ProductAsync(world)) with { IsActive = true };
        await Assert.ThrowsAsync<StoreFaultException>(() => EscrowWorld.Over(y, 3).SaveProduct.ExecuteAsync(reactivated));

        Assert.InRange((await world.Instance(3).RecoverOrders.ExecuteAsync()).Open, 1, 2); // Y's entry is there (not due yet)
        s.Release();
        await sweeping; // deletes Y's entry

        await AssertSweepLeavesCopiesAsync(world, 1, 2);
    }

    // 2. A bucket marked and made between a save's read (not in escrow: nothing enlisted) and its write: MakeAsync's re-read
    //    saw the product unchanged, so only the save's own copy brings the save to the bucket. That copy failing leaves
    //    the bucket stale with no entry.
    [Fact]
    public async Task A_bucket_made_between_a_saves_read_and_write_gets_the_save_even_when_the_saves_copy_fails()
    {
        var world = await EscrowWorld.CreateAsync(atL1: 100); // not in escrow yet: no mark, no bucket listed
        var product = await ProductAsync(world);
        var save = new SteeredStore(world.Store) { HoldCommit = IsProductWrite, Fail = IsCopyInto };
        var saving = EscrowWorld.Over(save, 3).SaveProduct.ExecuteAsync(product with { IsActive = false });
        await save.Holding; // it read the product (no bucket: nothing enlisted) and is about to write it

        await world.Instance(1).Escrow.CreateAsync(EscrowWorld.Bucket(1), CancellationToken.None); // marked, made from the active product

        save.Release();
        await Assert.ThrowsAsync<StoreFaultException>(() => saving); // wrote the product, its copy into bucket 1 failed

        await AssertSweepLeavesCopiesAsync(world, 1);
    }

    // 3. A bucket's maker marked it and read the product, then stalled (past a sweep, too); a save saw the mark with the
    //    bucket not made. Once the save skipped it and delisted, and the maker made the bucket from the product as it was,
    //    its re-copy failed, its retry found the bucket made: stale, no entry (two reviews). The save now makes it.
    [Fact]
    public async Task A_bucket_made_from_the_product_before_a_save_whose_maker_stalled_and_failed_to_copy_again_gets_the_save()
    {
        var world = await EscrowWorld.CreateAsync(atL1: 100);
        var (maker, making) = await MakerHeldThenDyingAtItsRecopyAsync(world); // marked, read the product (active), about to make the bucket

        var product = await ProductAsync(world);
        await world.Instance(3).SaveProduct.ExecuteAsync(product with { IsActive = false }); // sees the mark, bucket not made
        var sweep = new ManualClock(DateTimeOffset.UtcNow.AddMinutes(2)); // the maker is still stalled
        Assert.Equal(0, (await world.Instance(3, sweep).RecoverOrders.ExecuteAsync()).Failed);

        maker.Release();
        try { await making; } catch (StoreFaultException) { } // finds the bucket made; a re-copy, if it makes one, fails
        await world.Instance(2).Escrow.CreateAsync(EscrowWorld.Bucket(1), CancellationToken.None); // the maker's retry (another instance)
        await AssertSweepLeavesCopiesAsync(world, 1);
    }

    // R2-1. (review of 0ef4853) A save's copy found the bucket marked and not made, and went to make it (BucketCopies.MakeAsync
    //       -> EscrowBuckets.CreateAsync); meanwhile the bucket's own maker, which read the product before the save's write,
    //       made it from the product as it was. The save's make then finds the partition there (ExistsAsync; the same with
    //       AlreadyExists on its create) and does nothing, and the save delists. The maker's re-copy fails (or its instance
    //       dies right after making the bucket): stale, no entry, no sweep will ever fix it.
    [Fact]
    public async Task A_bucket_made_by_its_maker_while_the_save_went_to_make_it_gets_the_save()
    {
        var world = await EscrowWorld.CreateAsync(atL1: 100);
        var (maker, making) = await MakerHeldThenDyingAtItsRecopyAsync(world); // marked, read the product (active), about to make the bucket

        var bucketReads = 0;
        var save = new SteeredStore(world.Store)
        {
            // 1st: its copy's read of bucket 1 (not made: unmade); 2nd: the make's ExistsAsync, held
            HoldRead = (c, p, ids, prefixes) => c == Collection.Products && p == "P~1" && Interlocked.Increment(ref bucketReads) == 2,
        };
        var product = await ProductAsync(world);
        var saving = EscrowWorld.Over(save, 3).SaveProduct.ExecuteAsync(product with { IsActive = false });
        await save.Holding; // saw the mark, enlisted, wrote the product inactive, found bucket 1 unmade, is making it

        maker.Release();
        await Assert.ThrowsAsync<StoreFaultException>(() => making); // made bucket 1 active, then died at its re-copy

        save.Release();
        await saving; // finds bucket 1 made: nothing to do; delists

        Assert.False((await ProductAsync(world)).IsActive);
        await AssertSweepLeavesCopiesAsync(world, 1);
    }

    // R2-2. The same gap in the sweep: it resumes a save that died right after writing the product, finds the bucket marked
    //       and not made, and goes to make it; the bucket's maker (which read the product before the save) makes it
    //       meanwhile and dies at its re-copy. The sweep's make finds the partition there, does nothing, and ends the entry.
    [Fact]
    public async Task A_bucket_made_by_its_maker_while_the_sweep_went_to_make_it_gets_the_save()
    {
        var world = await EscrowWorld.CreateAsync(atL1: 100);
        var (maker, making) = await MakerHeldThenDyingAtItsRecopyAsync(world); // marked, read the product (active), about to make the bucket

        var deactivated = WrittenInactive(world);
        var save = new SteeredStore(world.Store) { Fail = (c, p, w) => deactivated() }; // dies right after its product write
        var product = await ProductAsync(world);
        await Assert.ThrowsAsync<StoreFaultException>(() => EscrowWorld.Over(save, 3).SaveProduct.ExecuteAsync(product with { IsActive = false }));
        world.Memory.AfterCommit = null;

        var bucketReads = 0;
        var sweepStore = new SteeredStore(world.Store)
        {
            // 1st: the sweep's copy read of bucket 1 (not made); 2nd: the make's ExistsAsync, held
            HoldRead = (c, p, ids, prefixes) => c == Collection.Products && p == "P~1" && Interlocked.Increment(ref bucketReads) == 2,
        };
        var sweepClock = new ManualClock(DateTimeOffset.UtcNow.AddMinutes(2));
        var sweeping = Task.Run(() => EscrowWorld.Over(sweepStore, 3, sweepClock).RecoverOrders.ExecuteAsync());
        await sweepStore.Holding;

        maker.Release();
        await Assert.ThrowsAsync<StoreFaultException>(() => making); // made bucket 1 active, then died at its re-copy

        sweepStore.Release();
        Assert.Equal(1, (await sweeping).Finished); // found bucket 1 made: nothing to do; touched, delisted

        Assert.False((await ProductAsync(world)).IsActive);
        await AssertSweepLeavesCopiesAsync(world, 1);
    }

    // 1c. A live save stalled past RecoverAfterSeconds between its enlist and its product write: the sweep resumes its entry
    //     (nothing to copy yet) and delists it; the save then writes the product and its copies fail. No fencing.
    [Fact]
    public async Task The_sweep_does_not_delist_a_save_that_has_not_written_the_product_yet()
    {
        var world = await InEscrowAsync();
        var product = await ProductAsync(world);
        var save = new SteeredStore(world.Store) { HoldCommit = IsProductWrite, Fail = IsCopyInto };
        var saving = EscrowWorld.Over(save, 3).SaveProduct.ExecuteAsync(product with { IsActive = false });
        await save.Holding; // enlisted, about to write the product (a slow, throttled commit)

        var sweep = new ManualClock(DateTimeOffset.UtcNow.AddMinutes(2));
        Assert.Equal(1, (await world.Instance(3, sweep).RecoverOrders.ExecuteAsync()).Finished); // copies nothing new, delists

        save.Release();
        await Assert.ThrowsAsync<StoreFaultException>(() => saving); // product written inactive, copies failed

        await AssertSweepLeavesCopiesAsync(world, 1, 2);
    }

    // 1d. The sweep read the entry and copied (the save had not written yet); the save then writes and enlists again, and its
    //     copies fail. The sweep's removal, under the version it read before copying, must leave the entry enlisted again.
    [Fact]
    public async Task The_sweep_does_not_end_a_save_that_enlisted_again_after_the_sweep_copied()
    {
        var world = await InEscrowAsync();
        var product = await ProductAsync(world);
        var save = new SteeredStore(world.Store) { HoldCommit = IsProductWrite, Fail = IsCopyInto };
        var saving = EscrowWorld.Over(save, 3).SaveProduct.ExecuteAsync(product with { IsActive = false });
        await save.Holding; // enlisted, about to write the product

        // The sweep reads the entry, copies the product as it still is; a removal that read the entry again would do so
        // now, after the save enlists again: held there, if it reads (the sweep removes under the version it read first).
        var reads = 0;
        var s = new SteeredStore(world.Store) { Hold = (c, p, w) => IsOpenSagaRead(c, p, w) && Interlocked.Increment(ref reads) == 2 };
        var sweepClock = new ManualClock(DateTimeOffset.UtcNow.AddMinutes(2));
        var sweeping = Task.Run(() => EscrowWorld.Over(s, 3, sweepClock).RecoverOrders.ExecuteAsync());
        await Task.WhenAny(s.Holding, sweeping);

        save.Release();
        await Assert.ThrowsAsync<StoreFaultException>(() => saving); // wrote the product inactive, enlisted again, copies failed
        s.Release();
        await sweeping;

        await AssertSweepLeavesCopiesAsync(world, 1, 2);
    }

    // 4. (second review) A save stalled past the sweep's wait before its product write (as in 1c): the sweep ends its
    //    entry; the save writes the product and its second enlist fails (the Orders table down, the instance lives).
    //    Once nothing was left; now the copies go all the same.
    [Fact]
    public async Task A_save_whose_entry_the_sweep_ended_while_it_stalled_and_whose_second_enlist_fails_still_reaches_its_buckets()
    {
        var world = await InEscrowAsync();
        var product = await ProductAsync(world);
        var deactivated = WrittenInactive(world);
        var failed = 0;
        var save = new SteeredStore(world.Store)
        {
            HoldCommit = IsProductWrite,
            Fail = (c, p, w) => IsOpenSagaWrite(c, p, w) && deactivated() && Interlocked.Increment(ref failed) == 1, // the enlist before copying
            Error = () => new StoreUnavailableException("test", "the Orders table did not answer"), // the instance lives on
        };
        var saving = EscrowWorld.Over(save, 3).SaveProduct.ExecuteAsync(product with { IsActive = false });
        await save.Holding; // saw the buckets, enlisted, about to write the product

        var sweep = new ManualClock(DateTimeOffset.UtcNow.AddMinutes(2));
        Assert.Equal(1, (await world.Instance(3, sweep).RecoverOrders.ExecuteAsync()).Finished); // copies the product as it is, delists

        save.Release();
        await saving; // product written inactive (its stalled write failed on the sweep's, its retry wrote); enlisting again failed, the copies went all the same
        world.Memory.AfterCommit = null;

        await AssertSweepLeavesCopiesAsync(world, 1, 2);
    }

    // 6. (the residual the last note left) A save stalled past the sweep's wait before its product write: the sweep copies
    //    the product as it still is and ends the entry; the save then writes the product and its instance dies before it
    //    enlists again. Nothing led the sweep to the copies any more. The sweep now changes the product's ETag before it
    //    ends an entry, so the stalled write fails and the save's retry reads and enlists again before it writes.
    [Fact]
    public async Task A_save_stalled_past_the_sweep_that_dies_right_after_writing_the_product_leaves_its_copies_to_the_sweep()
    {
        var world = await InEscrowAsync();
        var product = await ProductAsync(world);
        var deactivated = WrittenInactive(world);
        var save = new SteeredStore(world.Store) { HoldCommit = IsProductWrite, Fail = (c, p, w) => IsOpenSagaWrite(c, p, w) && deactivated() };
        var saving = EscrowWorld.Over(save, 3).SaveProduct.ExecuteAsync(product with { IsActive = false });
        await save.Holding; // enlisted, about to write the product

        var sweep = new ManualClock(DateTimeOffset.UtcNow.AddMinutes(2));
        Assert.Equal(1, (await world.Instance(3, sweep).RecoverOrders.ExecuteAsync()).Finished); // copies the product as it is, ends the entry

        save.Release();
        await Assert.ThrowsAsync<StoreFaultException>(() => saving); // its stalled write failed; its retry wrote the product inactive, then the instance died
        world.Memory.AfterCommit = null;

        Assert.False((await ProductAsync(world)).IsActive);
        await AssertSweepLeavesCopiesAsync(world, 1, 2);
    }

    // 9. (the residual two notes left) A save that saw no bucket (nothing enlisted), a bucket made before its product
    //    write (marked, and made from the product as it still was): the save writes the product and its instance dies
    //    before it looks for buckets again. Nothing led the sweep to the bucket, which went on selling the product.
    //    Marking a bucket now writes the product again under the ETag it read, so that save's write fails and its retry
    //    sees the mark and enlists before it writes.
    [Fact]
    public async Task A_save_that_saw_no_bucket_and_dies_right_after_writing_the_product_leaves_the_bucket_made_meanwhile_to_the_sweep()
    {
        var world = await EscrowWorld.CreateAsync(atL1: 100); // not in escrow yet: no mark, no bucket listed
        var product = await ProductAsync(world);
        var deactivated = WrittenInactive(world);
        var save = new SteeredStore(world.Store) { HoldCommit = IsProductWrite, Fail = (c, p, w) => deactivated() };
        var saving = EscrowWorld.Over(save, 3).SaveProduct.ExecuteAsync(product with { IsActive = false });
        await save.Holding; // it read the product (no bucket: nothing enlisted) and is about to write it

        await MakeBucketThenLetTheSaveDieAsync(world, save, saving);
    }

    // 9b. The other order: the save's write lands between the maker's read of the product and its mark. The mark's write
    //     of the product then fails on its ETag, and the maker marks again on the product as saved, so the bucket is made
    //     from the save (whose instance died before looking for buckets).
    [Fact]
    public async Task A_save_landing_between_a_makers_read_and_its_mark_is_what_the_bucket_is_made_from()
    {
        var world = await EscrowWorld.CreateAsync(atL1: 100);
        var product = await ProductAsync(world);
        var maker = new SteeredStore(world.Store) { HoldCommit = (c, p, w) => c == Collection.Products && p == EscrowWorld.Product && w is not null };
        var making = EscrowWorld.Over(maker, 1).Escrow.CreateAsync(EscrowWorld.Bucket(1), CancellationToken.None);
        await maker.Holding; // read the product (active), about to mark the bucket

        var deactivated = WrittenInactive(world);
        var save = new SteeredStore(world.Store) { Fail = (c, p, w) => deactivated() };
        await Assert.ThrowsAsync<StoreFaultException>(() => EscrowWorld.Over(save, 3).SaveProduct.ExecuteAsync(product with { IsActive = false }));
        world.Memory.AfterCommit = null;

        maker.Release();
        await making;
        Assert.False((await ProductAsync(world, "P~1")).IsActive);
        await AssertSweepLeavesCopiesAsync(world, 1);
    }

    // 10. (review of 9) The save's read of the product and of the marks ran at once: the marks' read before the mark,
    //     the product's after it (the ETag the mark wrote). The save enlisted nothing, its write succeeded on that ETag,
    //     and its instance died: the bucket, made from the product before the save, went on selling it. The save now
    //     reads the product before the marks.
    [Fact]
    public async Task A_save_whose_marks_read_ran_before_the_mark_and_product_read_after_it_leaves_its_copy_to_the_sweep()
    {
        var world = await EscrowWorld.CreateAsync(atL1: 100); // not in escrow yet
        var product = await ProductAsync(world);
        var deactivated = WrittenInactive(world);
        var save = new SteeredStore(world.Store)
        {
            HoldRead = (c, p, ids, prefixes) => c == Collection.Products && p == EscrowWorld.Product && prefixes.Count == 0 && ids.SequenceEqual([ProductPartitionIds.Product]),
            Fail = (c, p, w) => deactivated(),
        };
        var saving = EscrowWorld.Over(save, 3).SaveProduct.ExecuteAsync(product with { IsActive = false });
        await save.Holding; // held at its product read (read at once with the marks, the marks' read ran: no bucket)

        await MakeBucketThenLetTheSaveDieAsync(world, save, saving);
    }

    // 7. (review of 6) The same gap one step later, at a copy write: a save S_old (activates) reads bucket 1's copy and
    //    stalls before writing it; S_new deactivates again (its copies equal: skipped); the sweep ends S_old's entry. S_old
    //    then wrote bucket 1 active under the ETag it read, which nothing had changed. The sweep now writes every copy,
    //    equal or not, so a stalled copy write fails on its ETag.
    [Fact]
    public async Task A_saves_copy_write_stalled_past_the_sweep_does_not_leave_a_stale_copy_with_no_entry()
    {
        var world = await InEscrowAsync();
        await world.Instance(3).SaveProduct.ExecuteAsync((await ProductAsync(world)) with { IsActive = false }); // copies inactive

        var old = new SteeredStore(world.Store)
        {
            HoldCommit = (c, p, w) => c == Collection.Products && p == "P~1" && w is not null, // read bucket 1's copy, about to write it
            Fail = (c, p, w) => c == Collection.Products && p == "P~2" && w is not null, // its next copy fails: the save answers an error
        };
        var saving = EscrowWorld.Over(old, 3).SaveProduct.ExecuteAsync((await ProductAsync(world)) with { IsActive = true });
        await old.Holding; // product written active, enlisted again, bucket 1's copy (inactive) read

        await world.Instance(3).SaveProduct.ExecuteAsync((await ProductAsync(world)) with { IsActive = false }); // S_new: copies equal, skipped
        var sweep = new ManualClock(DateTimeOffset.UtcNow.AddMinutes(2)); // S_old's entry is due, it is still stalled
        Assert.Equal(1, (await world.Instance(3, sweep).RecoverOrders.ExecuteAsync()).Finished); // copies equal, touches, ends it

        old.Release();
        await EndedOrDiedAsync(saving); // once: bucket 1 written active under its old ETag, bucket 2's copy failed; now its stale writes fail or are skipped

        Assert.False((await ProductAsync(world)).IsActive);
        var later = new ManualClock(DateTimeOffset.UtcNow.AddMinutes(5));
        var swept = await world.Instance(3, later).RecoverOrders.ExecuteAsync();
        Assert.False((await ProductAsync(world, "P~1")).IsActive,
            $"bucket 1 still sells the inactive product after the sweep (open entries: {swept.Open})");
    }

    // 8. (review of 6) The sweep's write of the product is its stored body, not this build's model of it: a property a
    //    newer build or another tool wrote is not dropped by a background sweep no one asked for.
    [Fact]
    public async Task The_sweeps_touch_does_not_drop_what_the_product_document_holds_beyond_this_builds_model()
    {
        var world = await InEscrowAsync();
        var stored = (await world.Memory.ReadAsync(Collection.Products, EscrowWorld.Product, [ProductPartitionIds.Product], [])).Single();
        var withMore = stored.Body.TrimEnd().TrimEnd('}') + ",\"hazmatClass\":\"UN1263\"}"; // a newer build's field
        await world.Memory.CommitAsync(Collection.Products, EscrowWorld.Product,
            [ProductPartitionIds.Typed(new DocumentWrite.Replace(ProductPartitionIds.Product, withMore, stored.ETag))]);

        // A save's entry the sweep finishes (its copies were made, its delist was lost).
        await world.Instance(3).Orders.EnlistAsync(BucketCopies.SagaKind, $"{EscrowWorld.Product}|lost", DateTimeOffset.UtcNow, CancellationToken.None);
        var sweep = new ManualClock(DateTimeOffset.UtcNow.AddMinutes(5));
        Assert.Equal(1, (await world.Instance(3, sweep).RecoverOrders.ExecuteAsync()).Finished);

        var after = (await world.Memory.ReadAsync(Collection.Products, EscrowWorld.Product, [ProductPartitionIds.Product], [])).Single();
        Assert.Contains("hazmatClass", after.Body);
    }

    // 5. (second review) An entry by product id alone ("copy|P", the first version of this saga) once made the sweep throw
    //    on every run, before the sagas after it in the index.
    [Fact]
    public async Task The_sweep_finishes_an_entry_enlisted_by_the_previous_build()
    {
        var world = await InEscrowAsync();
        var app = world.Instance(3);
        // The old build: enlisted by product id, wrote the product inactive, crashed before its copies.
        await app.Orders.EnlistAsync(BucketCopies.SagaKind, EscrowWorld.Product, DateTimeOffset.UtcNow, CancellationToken.None);
        var partitions = new ProductPartitions(world.Memory);
        var stored = await partitions.StoredProductAsync(EscrowWorld.Product, CancellationToken.None);
        await partitions.SaveProductAsync(stored.Product! with { IsActive = false }, stored, CancellationToken.None);

        var sweep = new ManualClock(DateTimeOffset.UtcNow.AddMinutes(5));
        var swept = await world.Instance(3, sweep).RecoverOrders.ExecuteAsync();

        Assert.Equal(0, swept.Failed);
        Assert.Equal(0, (await world.Instance(3, sweep).RecoverOrders.ExecuteAsync()).Open);
        for (var b = 1; b <= 2; b++) Assert.False((await ProductAsync(world, $"P~{b}")).IsActive, $"bucket {b}");
    }

    // 6. (second review) A bucket marked and never made (its maker failed after marking) once kept an entry per save.
    [Fact]
    public async Task Saves_of_a_product_with_a_bucket_marked_and_never_made_do_not_leave_an_entry_each()
    {
        var world = await InEscrowAsync();
        var maker = new SteeredStore(world.Store) { Fail = (c, p, w) => p == "P~3" && w is not null };
        await Assert.ThrowsAsync<StoreFaultException>(() => EscrowWorld.Over(maker, 3).Escrow.CreateAsync(EscrowWorld.Bucket(3), CancellationToken.None));

        for (var i = 0; i < 5; i++)
            await world.Instance(3).SaveProduct.ExecuteAsync((await ProductAsync(world)) with { Name = $"rename {i}" }); // each succeeds

        var open = (await world.Instance(3).RecoverOrders.ExecuteAsync()).Open; // not due yet: only counted
        Assert.True(open <= 1, $"{open} open copy entries after 5 successful saves");
    }

    // R3-1. (review of 68ea968) A copy write is conditioned on the copy's ETag only, read after the product: a save that read
    //       the product (active) and stalled before reading bucket 1's copy, past the sweep's wait, reads the copy after a
    //       later save (inactive) and the sweep have both written it, and lands the product as it read it over the newer
    //       copy; its next copy fails. The sweep's rewrite (test 7) fences a stalled copy write, not a stalled copy read:
    //       both entries are ended, bucket 1 sells the inactive product.
    [Fact]
    public async Task A_save_stalled_between_its_product_read_and_its_copy_read_past_the_sweep_does_not_leave_a_stale_copy_with_no_entry()
    {
        var world = await InEscrowAsync();
        await world.Instance(3).SaveProduct.ExecuteAsync((await ProductAsync(world)) with { IsActive = false }); // copies inactive

        var old = new SteeredStore(world.Store)
        {
            HoldRead = (c, p, ids, prefixes) => c == Collection.Products && p == "P~1", // read the product (active), about to read bucket 1's copy
            Fail = (c, p, w) => c == Collection.Products && p == "P~2" && w is not null, // its next copy fails: the save answers an error
        };
        var saving = EscrowWorld.Over(old, 3).SaveProduct.ExecuteAsync((await ProductAsync(world)) with { IsActive = true });
        await old.Holding; // product written active, enlisted again, product read for its copies

        await world.Instance(3).SaveProduct.ExecuteAsync((await ProductAsync(world)) with { IsActive = false }); // S_new: copies inactive, delists
        var sweep = new ManualClock(DateTimeOffset.UtcNow.AddMinutes(2)); // S_old's entry is due, it is still stalled
        Assert.Equal(1, (await world.Instance(3, sweep).RecoverOrders.ExecuteAsync()).Finished); // rewrites the copies, touches, ends it

        old.Release();
        await EndedOrDiedAsync(saving); // once: bucket 1 written active under the ETag it read just now, bucket 2's copy failed; now the later copies are left

        Assert.False((await ProductAsync(world)).IsActive);
        await AssertSweepLeavesCopiesAsync(world, 1, 2);
    }

    // R3-2. The same gap in the sweep: sweep A resumes a save that died after writing the product (active) and stalls
    //       between its product read and its copy read; a later save deactivates; sweep B (another instance) ends the
    //       entry; A lands the active product in bucket 1 and dies at bucket 2. No entry is left.
    [Fact]
    public async Task A_sweep_stalled_between_its_product_read_and_its_copy_read_does_not_leave_a_stale_copy_after_another_sweep_ended_the_entry()
    {
        var world = await InEscrowAsync();
        await world.Instance(3).SaveProduct.ExecuteAsync((await ProductAsync(world)) with { IsActive = false }); // copies inactive
        var x = new SteeredStore(world.Store) { Fail = IsCopyInto }; // X: activates, its copies fail, never retried
        var activated = (await ProductAsync(world)) with { IsActive = true };
        await Assert.ThrowsAsync<StoreFaultException>(() => EscrowWorld.Over(x, 3).SaveProduct.ExecuteAsync(activated));

        var a = new SteeredStore(world.Store)
        {
            HoldRead = (c, p, ids, prefixes) => c == Collection.Products && p == "P~1", // read the product (active), about to read bucket 1's copy
            Fail = (c, p, w) => c == Collection.Products && p == "P~2" && w is not null, // then its instance dies
        };
        var sweepClock = new ManualClock(DateTimeOffset.UtcNow.AddMinutes(2));
        var sweepingA = Task.Run(() => EscrowWorld.Over(a, 3, sweepClock).RecoverOrders.ExecuteAsync());
        await a.Holding;

        await world.Instance(3).SaveProduct.ExecuteAsync((await ProductAsync(world)) with { IsActive = false }); // copies inactive, delists its own
        Assert.Equal(1, (await world.Instance(4, sweepClock).RecoverOrders.ExecuteAsync()).Finished); // sweep B: rewrites, touches, ends X's entry

        a.Release();
        await Assert.ThrowsAsync<StoreFaultException>(() => sweepingA); // bucket 1 written active; died at bucket 2

        Assert.False((await ProductAsync(world)).IsActive);
        await AssertSweepLeavesCopiesAsync(world, 1, 2);
    }

    // R3-3. The same gap in a bucket's maker, which has no entry at all: the maker of bucket 3 finds the product saved
    //       while it made the bucket and copies again (EscrowBuckets.MakeAsync); it reads the product (active) and stalls
    //       before reading bucket 1's copy; a save deactivates (copies, delists); the maker lands the active product in
    //       bucket 1 and dies at bucket 2. No sweep is needed, nor any wait: nothing was ever enlisted for that write.
    [Fact]
    public async Task A_makers_copy_stalled_between_its_product_read_and_its_copy_read_does_not_leave_a_stale_copy_with_no_entry()
    {
        var world = await InEscrowAsync();
        await world.Instance(3).SaveProduct.ExecuteAsync((await ProductAsync(world)) with { IsActive = false }); // copies inactive

        var atCopy = new SteeredStore(world.Store)
        {
            HoldRead = (c, p, ids, prefixes) => c == Collection.Products && p == "P~1", // its re-copy read the product, about to read bucket 1's copy
            Fail = (c, p, w) => c == Collection.Products && p == "P~2" && w is not null, // then its instance dies
        };
        var atMake = new SteeredStore(atCopy) { HoldCommit = (c, p, w) => p == "P~3" && w is not null }; // marked, read the product, about to make
        var making = EscrowWorld.Over(atMake, 3).Escrow.CreateAsync(EscrowWorld.Bucket(3), CancellationToken.None);
        await atMake.Holding;

        await world.Instance(4).SaveProduct.ExecuteAsync((await ProductAsync(world)) with { IsActive = true }); // makes bucket 3 itself, copies active
        atMake.Release(); // its make finds bucket 3 made; the product changed since its read: it copies again
        await atCopy.Holding;

        await world.Instance(4).SaveProduct.ExecuteAsync((await ProductAsync(world)) with { IsActive = false }); // copies inactive, delists
        atCopy.Release();
        await EndedOrDiedAsync(making); // once: bucket 1 written active, then died at bucket 2; now the later copies are left

        Assert.False((await ProductAsync(world)).IsActive);
        await AssertSweepLeavesCopiesAsync(world, 1, 2, 3);
    }

    // Control: a save of a product in escrow racing nothing, whose copies fail, is finished by the sweep (as the commit claims).
    [Fact]
    public async Task Control_a_save_whose_copies_failed_is_finished_by_the_sweep()
    {
        var world = await InEscrowAsync();
        var product = await ProductAsync(world);
        var x = new SteeredStore(world.Store) { Fail = IsCopyInto };
        await Assert.ThrowsAsync<StoreFaultException>(() => EscrowWorld.Over(x, 3).SaveProduct.ExecuteAsync(product with { IsActive = false }));
        await AssertSweepLeavesCopiesAsync(world, 1, 2);
    }

    /// <summary>Holds the first matching read (<see cref="Hold"/>, <see cref="HoldRead"/>) or commit (<see cref="HoldCommit"/>) until released; fails matching commits.</summary>
    private sealed class SteeredStore(IDocumentStore inner) : DelegatingStore(inner)
    {
        private readonly TaskCompletionSource holding = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource released = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int held;

        public Func<Collection, string, IReadOnlyList<DocumentWrite>?, bool>? Hold { get; init; }
        /// <summary>Holds the first matching read by what it reads (partition, ids, prefixes).</summary>
        public Func<Collection, string, IReadOnlyCollection<string>, IReadOnlyCollection<string>, bool>? HoldRead { get; init; }
        public Func<Collection, string, IReadOnlyList<DocumentWrite>?, bool>? HoldCommit { get; init; }
        public Func<Collection, string, IReadOnlyList<DocumentWrite>?, bool>? Fail { get; init; }
        /// <summary>What a failed commit throws (default: an injected crash, after which the instance does nothing more).</summary>
        public Func<Exception>? Error { get; init; }
        public Task Holding => holding.Task;
        public void Release() => released.TrySetResult();

        public override async Task<IReadOnlyList<StoredDocument>> ReadAsync(Collection collection, string partition, IReadOnlyCollection<string> ids,
            IReadOnlyCollection<string> idPrefixes, CancellationToken ct = default)
        {
            if (Hold?.Invoke(collection, partition, null) == true || HoldRead?.Invoke(collection, partition, ids, idPrefixes) == true) await HoldAsync();
            return await base.ReadAsync(collection, partition, ids, idPrefixes, ct);
        }

        public override async Task CommitAsync(Collection collection, string partition, IReadOnlyList<DocumentWrite> writes, CancellationToken ct = default)
        {
            if (HoldCommit?.Invoke(collection, partition, writes) == true) await HoldAsync();
            if (Fail?.Invoke(collection, partition, writes) == true) throw Error?.Invoke() ?? new StoreFaultException(0, FaultSide.BeforeApplying, collection, partition);
            await base.CommitAsync(collection, partition, writes, ct);
        }

        private async Task HoldAsync()
        {
            if (Interlocked.Exchange(ref held, 1) != 0) return;
            holding.TrySetResult();
            await released.Task;
        }
    }
}
