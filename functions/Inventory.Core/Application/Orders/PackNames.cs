using System.Globalization;

namespace Inventory.Application.Orders;

/// <summary>
/// Names the pack of a one-product order when it is claimed (<see cref="OrderRecord.Pack"/>): this instance's tag and the
/// claim's tenth of a second. Orders claimed together on one instance are decided together (coalesced into one batch),
/// so a batch's new reservations share one name, or two across a tenth's edge, and are written as that many documents.
/// A reader by order id reads every part of the name: a tenth of one instance's orders of the product, never more.
/// </summary>
internal sealed class PackNames
{
    private static readonly long Slot = TimeSpan.FromMilliseconds(100).Ticks;
    private readonly string tag = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(4));

    public string NameAt(DateTimeOffset claimedAt) => tag + (claimedAt.UtcTicks / Slot).ToString("x", CultureInfo.InvariantCulture);
}
