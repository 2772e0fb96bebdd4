namespace Inventory.Domain;

public enum PurchaseOrderStatus { Draft, Sent, Confirmed, Partial, Received, Cancelled }

/// <summary>Who raised a purchase order: a person through the API, or replenishment.</summary>
public enum PurchaseOrderOrigin { Manual, Replenishment }

public sealed record PurchaseOrderLine(string ProductId, long QuantityOrdered, long QuantityReceived = 0)
{
    public long Outstanding => Math.Max(0, QuantityOrdered - QuantityReceived);
}

/// <summary>A line of a receipt as applied to the purchase order.</summary>
public sealed record ReceiptLine(string ProductId, long Quantity);

/// <summary>A line of an accepted receipt: where it goes (null: put-away chooses).</summary>
/// <remarks>
/// <paramref name="Placed"/>: the put-away planner took the line into account when the order accepted the receipt (a line
/// without a location was planned then, to <paramref name="Suggested"/>), so applying it never plans again: planned at
/// apply time, a line could find its room taken by another receipt and the receipt stayed pending for good. Lines of
/// receipts accepted before 2026-12-01 are not placed and are planned when applied, as then.
/// </remarks>
public sealed record PendingReceiptLine(string ProductId, long Quantity, string? LocationId, PutAwaySuggestion? Suggested = null, bool Placed = false)
{
    /// <summary>Where the line goes, once placed: the location given, or the one planned.</summary>
    public string? PlacedAt => Placed ? LocationId ?? Suggested?.LocationId : null;
}

/// <summary>
/// A receipt the order has accepted whose stock lines are not all applied yet: the durable intent of the receipt saga.
/// The order counts it against what is outstanding, and refuses to be cancelled while it is there.
/// </summary>
/// <remarks><paramref name="Fingerprint"/>: what the receipt says (<see cref="ReceiptFingerprint"/>); null on receipts accepted before it was kept.</remarks>
public sealed record PendingReceipt(string ReceiptId, string ReceivedBy, IReadOnlyList<PendingReceiptLine> Lines, DateTimeOffset AcceptedAt,
    string? Fingerprint = null);

/// <summary>
/// What a receipt message says, order-free (its lines' products, quantities and named locations), so a redelivery is told
/// from another receipt that reuses the id (a scanner restarting its numbering): that one is refused, not taken as applied.
/// </summary>
public static class ReceiptFingerprint
{
    public static string Of(IEnumerable<(string ProductId, long Quantity, string? LocationId)> lines)
    {
        var canonical = string.Join('\n', lines.Select(l => $"{l.ProductId}\t{l.LocationId}\t{l.Quantity.ToString(System.Globalization.CultureInfo.InvariantCulture)}")
            .Order(StringComparer.Ordinal));
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(canonical)))[..32];
    }
}

/// <summary>
/// A purchase order and its state machine: DRAFT → SENT → CONFIRMED → PARTIAL → RECEIVED, or CANCELLED before it is
/// fully received. Receipts are accepted only when CONFIRMED or PARTIAL. Applied receipts and events are remembered, so a
/// redelivered message changes nothing twice.
/// </summary>
public sealed record PurchaseOrder
{
    public required string PoId { get; init; }
    public required string SupplierId { get; init; }
    public required string WarehouseId { get; init; }
    public PurchaseOrderStatus Status { get; init; } = PurchaseOrderStatus.Draft;
    public PurchaseOrderOrigin Origin { get; init; } = PurchaseOrderOrigin.Manual;
    public IReadOnlyList<PurchaseOrderLine> Lines { get; init; } = [];
    public DateOnly ExpectedDate { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? SentAt { get; init; }
    /// <summary>Set while a sender publishes the DRAFT order (<see cref="BeginSending"/>).</summary>
    public DateTimeOffset? SendingSince { get; init; }
    public DateTimeOffset? ConfirmedAt { get; init; }
    public DateTimeOffset? ReceivedAt { get; init; }
    public DateTimeOffset? CancelledAt { get; init; }
    public IReadOnlyList<string> AppliedReceipts { get; init; } = [];
    /// <summary>The fingerprint of each applied receipt that had one when accepted (<see cref="ReceiptFingerprint"/>).</summary>
    public IReadOnlyDictionary<string, string> AppliedReceiptFingerprints { get; init; } = new Dictionary<string, string>();
    public IReadOnlyList<string> AppliedEvents { get; init; } = [];
    /// <summary>The type of each remembered event (<see cref="AppliedEvents"/>), so another event under an applied id is told from a redelivery.</summary>
    public IReadOnlyDictionary<string, string> AppliedEventTypes { get; init; } = new Dictionary<string, string>();
    public IReadOnlyList<PendingReceipt> PendingReceipts { get; init; } = [];

    public bool IsOpen => Status is PurchaseOrderStatus.Draft or PurchaseOrderStatus.Sent or PurchaseOrderStatus.Confirmed or PurchaseOrderStatus.Partial;

    public PurchaseOrder Send(DateTimeOffset now) => Move(PurchaseOrderStatus.Sent, "send", [PurchaseOrderStatus.Draft]) with { SentAt = now, SendingSince = null };

    /// <summary>
    /// A sender's intent, recorded on a DRAFT order before its message goes out: a cancel meanwhile is refused (the supplier
    /// may hear of the order), until the order is SENT (then cancelled as one the supplier holds) or the sender has been
    /// silent for <see cref="SendingTimeout"/> (it died before its publish).
    /// </summary>
    public PurchaseOrder BeginSending(DateTimeOffset now) => Move(PurchaseOrderStatus.Draft, "send", [PurchaseOrderStatus.Draft]) with { SendingSince = now };

    public static readonly TimeSpan SendingTimeout = TimeSpan.FromMinutes(10);

    public PurchaseOrder Confirm(DateTimeOffset now) => Move(PurchaseOrderStatus.Confirmed, "confirm", [PurchaseOrderStatus.Sent]) with { ConfirmedAt = now };

    public PurchaseOrder Cancel(DateTimeOffset now) =>
        PendingReceipts.Count > 0 ? throw new ReceiptInProgressException(PoId, PendingReceipts[0].ReceiptId)
        : Status == PurchaseOrderStatus.Draft && SendingSince is { } since && now - since < SendingTimeout
            ? throw new InvalidTransitionException(PoId, Status, "cancel", $"Purchase order '{PoId}' is being sent to its supplier: cancel it once it is SENT (in a moment).")
        : Move(PurchaseOrderStatus.Cancelled, "cancel", [PurchaseOrderStatus.Draft, PurchaseOrderStatus.Sent, PurchaseOrderStatus.Confirmed, PurchaseOrderStatus.Partial])
        with { CancelledAt = now };

    /// <summary>Checks a receipt against the order without applying it: state, products on the order, and the over-receipt tolerance.</summary>
    public void CheckReceipt(IReadOnlyList<ReceiptLine> lines, decimal tolerancePercent)
    {
        if (Status is not (PurchaseOrderStatus.Confirmed or PurchaseOrderStatus.Partial))
            throw new InvalidTransitionException(PoId, Status, "receive");
        foreach (var group in lines.GroupBy(l => l.ProductId, StringComparer.Ordinal))
        {
            var line = Lines.FirstOrDefault(l => l.ProductId == group.Key)
                ?? throw new ValidationException("lines.productId", $"'{group.Key}' is not on purchase order '{PoId}'");
            var allowed = (long)Math.Floor(line.QuantityOrdered * (1 + tolerancePercent / 100m));
            var pending = PendingReceipts.SelectMany(p => p.Lines).Where(l => l.ProductId == group.Key).Sum(l => l.Quantity);
            var after = line.QuantityReceived + pending + group.Sum(l => l.Quantity);
            if (after > allowed) throw new OverReceiptException(PoId, group.Key, line.QuantityOrdered, after, tolerancePercent);
        }
    }

    public PendingReceipt? Pending(string receiptId) => PendingReceipts.FirstOrDefault(p => p.ReceiptId == receiptId);

    /// <summary>
    /// Refuses a receipt under an id this order already accepted or applied for other lines (<see cref="ReferenceConflictException"/>);
    /// the same receipt again (a redelivery), or one recorded before fingerprints were kept, passes.
    /// </summary>
    public void CheckSameReceipt(string receiptId, string fingerprint)
    {
        var known = Pending(receiptId)?.Fingerprint ?? AppliedReceiptFingerprints.GetValueOrDefault(receiptId);
        if (known is not null && known != fingerprint) throw new ReferenceConflictException(receiptId);
    }

    /// <summary>
    /// Accepts a receipt before any stock moves: checked against the state and what is outstanding (pending receipts
    /// included), then recorded as pending. A receipt already accepted or applied is returned unchanged.
    /// </summary>
    public PurchaseOrder Accept(string receiptId, string receivedBy, IReadOnlyList<PendingReceiptLine> lines, decimal tolerancePercent, DateTimeOffset now,
        string? fingerprint = null)
    {
        if (fingerprint is not null) CheckSameReceipt(receiptId, fingerprint);
        if (AppliedReceipts.Contains(receiptId) || Pending(receiptId) is not null) return this;
        CheckReceipt(lines.Select(l => new ReceiptLine(l.ProductId, l.Quantity)).ToArray(), tolerancePercent);
        return this with { PendingReceipts = [.. PendingReceipts, new PendingReceipt(receiptId, receivedBy, lines, now, fingerprint)] };
    }

    /// <summary>Records a pending receipt as applied (its stock lines are in): PARTIAL, or RECEIVED when every line is in.</summary>
    public PurchaseOrder CompleteReceipt(string receiptId, DateTimeOffset now)
    {
        if (AppliedReceipts.Contains(receiptId)) return this;
        var pending = Pending(receiptId) ?? throw new InvalidOperationException($"receipt '{receiptId}' was not accepted by '{PoId}'");
        var applied = this with
        {
            PendingReceipts = PendingReceipts.Where(p => p != pending).ToArray(),
            AppliedReceiptFingerprints = pending.Fingerprint is null ? AppliedReceiptFingerprints
                : new Dictionary<string, string>(AppliedReceiptFingerprints) { [receiptId] = pending.Fingerprint },
        };
        return applied.Add(receiptId, pending.Lines.Select(l => new ReceiptLine(l.ProductId, l.Quantity)).ToArray(), now);
    }

    /// <summary>Applies a receipt (checked first) and moves to PARTIAL, or RECEIVED when every line is in.</summary>
    public PurchaseOrder Receive(string receiptId, IReadOnlyList<ReceiptLine> lines, decimal tolerancePercent, DateTimeOffset now)
    {
        if (AppliedReceipts.Contains(receiptId)) return this;
        CheckReceipt(lines, tolerancePercent);
        return Add(receiptId, lines, now);
    }

    private PurchaseOrder Add(string receiptId, IReadOnlyList<ReceiptLine> lines, DateTimeOffset now)
    {
        var received = Lines.Select(l => l with { QuantityReceived = l.QuantityReceived + lines.Where(r => r.ProductId == l.ProductId).Sum(r => r.Quantity) }).ToArray();
        // Not while another accepted receipt is pending (a tolerance lets one in beside it): its units are still incoming.
        var complete = received.All(l => l.QuantityReceived >= l.QuantityOrdered) && PendingReceipts.Count == 0;
        return this with
        {
            Lines = received,
            Status = complete ? PurchaseOrderStatus.Received : PurchaseOrderStatus.Partial,
            ReceivedAt = complete ? now : ReceivedAt,
            AppliedReceipts = [.. AppliedReceipts, receiptId],
        };
    }

    private PurchaseOrder Move(PurchaseOrderStatus to, string action, PurchaseOrderStatus[] from) =>
        from.Contains(Status) ? this with { Status = to } : throw new InvalidTransitionException(PoId, Status, action);
}

/// <summary>A purchase-order action its current state does not allow.</summary>
public sealed class InvalidTransitionException(string poId, PurchaseOrderStatus status, string action, string? detail = null)
    : DomainException("invalid-transition", detail ?? $"Purchase order '{poId}' is {status.ToString().ToUpperInvariant()}: it cannot {action}.")
{
    public string PoId { get; } = poId;
    public PurchaseOrderStatus Status { get; } = status;
    public string Action { get; } = action;
}

/// <summary>A receipt that would take a line beyond what was ordered plus the tolerance.</summary>
public sealed class OverReceiptException(string poId, string productId, long ordered, long wouldBe, decimal tolerancePercent)
    : DomainException("over-receipt",
        $"Purchase order '{poId}', product '{productId}': {wouldBe} would be received against {ordered} ordered (tolerance {tolerancePercent} %).")
{
    public string PoId { get; } = poId;
    public string ProductId { get; } = productId;
}

/// <summary>A cancel while a receipt the order accepted is still being applied: the receipt finishes first.</summary>
public sealed class ReceiptInProgressException(string poId, string receiptId)
    : DomainException("receipt-in-progress", $"Purchase order '{poId}' is receiving '{receiptId}': it cannot be cancelled until the receipt is applied.")
{
    public string PoId { get; } = poId;
    public string ReceiptId { get; } = receiptId;
}

public sealed class PurchaseOrderNotFoundException(string poId)
    : DomainException("purchase-order-not-found", $"Purchase order '{poId}' does not exist.")
{
    public string PoId { get; } = poId;
}

/// <summary>
/// The reference under which a purchase-order receipt line moves stock. It is namespaced by its source and its parts
/// joined by separators no caller-given id may hold ('|' escaped all the same), so it can never equal a direct receipt
/// id, nor another order's or receipt's line.
/// </summary>
public static class ReceiptReference
{
    public static string ForPurchaseOrder(string poId, string receiptId, int line) =>
        $"po|{Escape(poId)}|{Escape(receiptId)}|{line.ToString(System.Globalization.CultureInfo.InvariantCulture)}";

    /// <summary>Whether a RECEIVE's reference is a purchase-order line's (a direct receipt id cannot hold '|').</summary>
    public static bool IsPurchaseOrder(string reference) => reference.StartsWith("po|", StringComparison.Ordinal);

    private static string Escape(string part) => part.Replace("%", "%25", StringComparison.Ordinal).Replace("|", "%7C", StringComparison.Ordinal);
}
