using Inventory.Domain;
using Inventory.Storage;

namespace Inventory.Application.Orders;

/// <summary>
/// The orders' persistence: order headers and their saga state (in claim buckets, <see cref="HeaderPartition"/>), the
/// index of open sagas, the hold index, change intents (in the order's own partition: <c>intent|{key}</c>, with an
/// <c>intent-open|{key}</c> copy while pending, so the pending ones are found without reading every change ever made),
/// and an order's reservation read from each product partition. Every id and partition name of these documents is
/// spelled here.
/// </summary>
public sealed partial class OrderHeaders(IDocumentStore store, ConcurrencyOptions? concurrencyOptions = null)
{
    /// <summary>The header's id in the first layout, where it was alone in the order's partition.</summary>
    private const string HeaderId = "order";
    internal const string IntentPrefix = "intent|";
    internal const string OpenIntentPrefix = "intent-open|";
    private readonly OptimisticConcurrency concurrency = new(concurrencyOptions ?? new ConcurrencyOptions());
    private readonly ProductPartitions products = new(store);

    private static string IntentId(string key) => IntentPrefix + key;
    private static string OpenIntentId(string key) => OpenIntentPrefix + key;

    /// <summary>The types the header and the intents are stored as.</summary>
    private static DocumentWrite Typed(DocumentWrite write) => write with
    {
        Type = write.Id == HeaderId ? "order"
            : write.Id.StartsWith(OpenIntentPrefix, StringComparison.Ordinal) ? "openChangeIntent"
            : write.Id.StartsWith(IntentPrefix, StringComparison.Ordinal) ? "changeIntent" : write.Type,
    };

    private Task CommitAsync(string orderId, IReadOnlyList<DocumentWrite> writes, CancellationToken ct) =>
        store.CommitAsync(Collection.Orders, orderId, writes.Select(Typed).ToArray(), ct);

    private Task<bool> CreateOnceAsync(string orderId, IReadOnlyList<DocumentWrite> creates, CancellationToken ct) =>
        OptimisticConcurrency.CreateOnceAsync(store, Collection.Orders, orderId, creates.Select(Typed).ToArray(), ct);

    /// <summary>The order's header; null when none was claimed (a fence in its place is none either: <see cref="OrderRecord.IsFence"/>).</summary>
    public async Task<OrderRecord?> FindAsync(string orderId, CancellationToken ct) => (await LocateAsync(orderId, ct))?.Order;

    public async Task<OrderRecord> GetAsync(string orderId, CancellationToken ct) =>
        await FindAsync(orderId, ct) ?? throw new ReservationNotFoundException(orderId);

    /// <summary>
    /// Creates the header, or finds the one a previous attempt created. Returns whether this call created it: also when its
    /// write landed and its answer was lost (the header found bears this call's <see cref="OrderRecord.ClaimNonce"/>).
    /// </summary>
    /// <remarks>
    /// A fence in the header's place (<see cref="FenceClaimAsync"/>: recovery removed the order's entry, finding no header)
    /// is replaced by the header under the ETag read, after <paramref name="enlistAgain"/> (a saga's entry, written again):
    /// a recovery that removes that entry meanwhile rewrites the fence first, so the replace fails and the claim looks again.
    /// The claim that lands therefore always has its entry, or a recovery that saw its header.
    /// </remarks>
    public async Task<(OrderRecord Order, bool Created)> ClaimAsync(OrderRecord order, CancellationToken ct, Func<Task>? enlistAgain = null)
    {
        order = order with { ClaimNonce = System.Buffers.Text.Base64Url.EncodeToString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(12)) };
        // A header of the other layout was written by an earlier build (none writes it now): found before creating.
        if (await OtherLayoutInUseAsync(ct)
            && await (OwnPartitions ? ReadBucketAsync(order.OrderId, ct) : ReadOwnPartitionAsync(order.OrderId, ct)) is { } other)
            return Existing(other.Order, order);
        // Once sent, a claim is not the caller's to cancel (as in a claim bucket's shared commit): the saga goes on after
        // it whatever the caller does, and a claim that landed unheard would leave the order pending with nothing reserved.
        ct.ThrowIfCancellationRequested();
        var created = OwnPartitions
            ? await CreateOnceAsync(order.OrderId, [new DocumentWrite.Create(HeaderId, DocumentJson.Write(order))], CancellationToken.None)
            : await claims.CreateOnceAsync(HeaderPartition(order.OrderId), order.OrderId, DocumentJson.Write(order), ct);
        return created ? (order, true) : await ClaimTakenAsync(order, enlistAgain);
    }

    /// <summary>The claim's create found a document in the header's place: another request's header (a replay, a reuse of the id), its own landed unheard, or a fence.</summary>
    private Task<(OrderRecord, bool)> ClaimTakenAsync(OrderRecord order, Func<Task>? enlistAgain)
    {
        var (partition, id) = NewHeaderPlace(order.OrderId);
        return concurrency.RunAsync(partition, async _ =>
        {
            var at = await ReadAtAsync(partition, id, CancellationToken.None) ?? throw new ReservationNotFoundException(order.OrderId);
            if (!at.Order.IsFence) return Existing(at.Order, order);
            if (enlistAgain is not null) await enlistAgain();
            await store.CommitAsync(Collection.Orders, partition, [new DocumentWrite.Replace(id, DocumentJson.Write(order), at.Header.ETag) { Type = HeaderType }], CancellationToken.None);
            return (order, true);
        }, CancellationToken.None);
    }

    /// <summary>
    /// Recovery is about to remove the <c>reserve</c> entry of an order it found no header for: writes a fence in the
    /// header's place first (created, or rewritten under its ETag), so a driver stalled before its claim cannot claim
    /// unseen after the entry is gone (its create fails; it enlists again before replacing the fence,
    /// <see cref="ClaimAsync"/>). Returns the header instead when a claim landed first (the saga is then recovery's to
    /// drive), null once fenced.
    /// </summary>
    public Task<OrderRecord?> FenceClaimAsync(string orderId, DateTimeOffset now, CancellationToken ct)
    {
        var (partition, id) = NewHeaderPlace(orderId);
        return concurrency.RunAsync(partition, async _ =>
        {
            var at = await ReadAtAsync(partition, id, ct);
            if (at is { Order.IsFence: false }) return at.Order;
            var fence = DocumentJson.Write(new OrderRecord { OrderId = orderId, Fingerprint = "", Lines = [], CreatedAt = now, FencedAt = now });
            await store.CommitAsync(Collection.Orders, partition,
                [at is null ? new DocumentWrite.Create(id, fence) { Type = HeaderType } : new DocumentWrite.Replace(id, fence, at.Header.ETag) { Type = HeaderType }], ct);
            return (OrderRecord?)null;
        }, ct);
    }

    private static (OrderRecord, bool) Existing(OrderRecord existing, OrderRecord claimed) =>
        existing.ClaimNonce is not null && existing.ClaimNonce == claimed.ClaimNonce ? (existing, true) // its own, landed unheard
        : existing.Fingerprint == claimed.Fingerprint ? (existing, false) : throw new OrderConflictException(claimed.OrderId);

    /// <summary>The header and the intent recorded under <paramref name="key"/>, read at once.</summary>
    public async Task<(OrderRecord? Order, ChangeIntent? Intent)> FindWithIntentAsync(string orderId, string key, CancellationToken ct)
    {
        IReadOnlyList<StoredDocument> own;
        StoredDocument? header;
        if (OwnPartitions)
        {
            // Two lone point reads at once, not one read of both ids: on Cosmos DB that is a query, dearer than two point reads.
            var intentRead = store.ReadAsync(Collection.Orders, orderId, [IntentId(key)], [], ct);
            header = (await LocateAsync(orderId, ct))?.Header;
            own = await intentRead;
        }
        else
        {
            // The order's own partition also holds a header of the first layout, so it is read there in the same request.
            var firstLayout = await layout.FirstLayoutInUseAsync(ct);
            var inBucket = ReadBucketAsync(orderId, ct);
            own = await store.ReadAsync(Collection.Orders, orderId, firstLayout ? [HeaderId, IntentId(key)] : [IntentId(key)], [], ct);
            header = (await inBucket)?.Header ?? own.FirstOrDefault(d => d.Id == HeaderId);
        }
        var order = header is null ? null : DocumentJson.Read<OrderRecord>(header.Body) is { IsFence: false } h ? h : null;
        var intent = own.FirstOrDefault(d => d.Id == IntentId(key)) is { } i ? DocumentJson.Read<ChangeIntent>(i.Body) : null;
        return (order, intent);
    }

    /// <summary>Records a pending intent (must not exist). False when one exists under its key: the caller reads it.</summary>
    public Task<bool> RecordIntentAsync(ChangeIntent intent, CancellationToken ct)
    {
        var body = DocumentJson.Write(intent);
        return CreateOnceAsync(intent.OrderId,
            [new DocumentWrite.Create(IntentId(intent.Key), body), new DocumentWrite.Create(OpenIntentId(intent.Key), body)], ct);
    }

    /// <summary>The order's pending intents (bounded by the changes in flight, not by the changes ever made).</summary>
    public async Task<IReadOnlyList<ChangeIntent>> OpenIntentsAsync(string orderId, CancellationToken ct)
    {
        var found = new List<ChangeIntent>();
        string? token = null;
        do
        {
            var page = await store.QueryAsync(Collection.Orders, orderId, OpenIntentPrefix, 100, token, ct);
            found.AddRange(page.Documents.Select(d => DocumentJson.Read<ChangeIntent>(d.Body)));
            token = page.ContinuationToken;
        } while (token is not null);
        return found;
    }

    /// <summary>Records the outcome of an intent and closes it, once: if another run closed it first, its outcome stands and is returned.</summary>
    public Task<ChangeIntent> CompleteIntentAsync(ChangeIntent done, CancellationToken ct) =>
        concurrency.RunAsync(done.OrderId, async _ =>
        {
            var docs = await store.ReadAsync(Collection.Orders, done.OrderId, [IntentId(done.Key), OpenIntentId(done.Key)], [], ct);
            // Gone: another driver saw every step refused and abandoned it, while this one applied one (its state had moved
            // on): recorded again, done, so the reference stays bound to what was applied.
            var stored = docs.FirstOrDefault(d => d.Id == IntentId(done.Key));
            if (stored is not null && DocumentJson.Read<ChangeIntent>(stored.Body) is { } current)
            {
                if (current.IsDone) return current;
                // Abandoned, then recorded again by another request under the same reference: not this one's to overwrite.
                if (current.Fingerprint != done.Fingerprint) throw new ReferenceConflictException(done.Reference);
            }
            var body = DocumentJson.Write(done);
            var writes = new List<DocumentWrite> { stored is null ? new DocumentWrite.Create(IntentId(done.Key), body) : new DocumentWrite.Replace(stored.Id, body, stored.ETag) };
            if (docs.FirstOrDefault(d => d.Id == OpenIntentId(done.Key)) is { } open) writes.Add(new DocumentWrite.Delete(open.Id, open.ETag));
            await CommitAsync(done.OrderId, writes, ct);
            return done;
        }, ct);

    /// <summary>
    /// Removes a pending intent whose every step was refused: nothing was applied, so nothing binds its reference. Only its
    /// own run's: under the same reference another run (a twin of the request, recorded once this run was abandoned by
    /// another of its drivers) may be pending, its steps applying, and its intent is what recovery finishes it from.
    /// </summary>
    public async Task AbandonIntentAsync(ChangeIntent intent, CancellationToken ct)
    {
        var docs = await store.ReadAsync(Collection.Orders, intent.OrderId, [IntentId(intent.Key), OpenIntentId(intent.Key)], [], ct);
        if (docs.FirstOrDefault(d => d.Id == IntentId(intent.Key)) is { } stored
            && DocumentJson.Read<ChangeIntent>(stored.Body) is var current && (current.IsDone || current.Run != intent.Run)) return;
        var own = docs.Where(d => DocumentJson.Read<ChangeIntent>(d.Body).Run == intent.Run)
            .Select(d => (DocumentWrite)new DocumentWrite.Delete(d.Id, d.ETag)).ToArray();
        if (own.Length > 0) await OptimisticConcurrency.TryCommitAsync(store, Collection.Orders, intent.OrderId, own, ct);
    }

    /// <summary>The intent recorded under <paramref name="key"/>, if any (a point read).</summary>
    public async Task<ChangeIntent?> IntentAsync(string orderId, string key, CancellationToken ct) =>
        (await store.ReadAsync(Collection.Orders, orderId, [IntentId(key)], [], ct)) is { Count: > 0 } docs ? DocumentJson.Read<ChangeIntent>(docs[0].Body) : null;


    /// <summary>
    /// Moves the header's saga on under its ETag: <paramref name="change"/> sees the stored header and returns it unchanged
    /// (the same instance) when there is nothing to do, for instance because another driver of the saga got further.
    /// Returns the header as stored afterwards.
    /// </summary>
    public Task<OrderRecord> ChangeAsync(string orderId, Func<OrderRecord, OrderRecord> change, CancellationToken ct) =>
        concurrency.RunAsync(orderId, async _ =>
        {
            var at = await LocateAsync(orderId, ct) ?? throw new ReservationNotFoundException(orderId);
            var current = at.Order;
            var next = change(current);
            if (ReferenceEquals(next, current)) return current;
            await store.CommitAsync(Collection.Orders, at.Partition,
                [new DocumentWrite.Replace(at.Header.Id, DocumentJson.Write(next), at.Header.ETag) { Type = HeaderType }], ct);
            return next;
        }, ct);

    public async Task<IReadOnlyDictionary<string, ProductReservation?>> ReservationsAsync(OrderRecord order, CancellationToken ct)
    {
        var reads = order.Lines.Select(async l =>
        {
            var reservation = await products.ReservationAsync(order.StockOf(l.ProductId), order.OrderId, order.Pack, ct);
            return KeyValuePair.Create(l.ProductId, reservation);
        });
        return new Dictionary<string, ProductReservation?>(await Task.WhenAll(reads), StringComparer.Ordinal);
    }

    public async Task<ReservationView> ViewAsync(string orderId, CancellationToken ct)
    {
        var order = await GetAsync(orderId, ct);
        return ReservationView.From(order, await ReservationsAsync(order, ct));
    }
}
