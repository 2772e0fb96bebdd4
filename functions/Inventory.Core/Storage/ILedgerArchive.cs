using System.Globalization;
using System.Text.RegularExpressions;

namespace Inventory.Storage;

/// <summary>
/// One archived stretch of a product's ledger: the entries <see cref="FirstSequence"/> to <see cref="LastSequence"/>
/// (both included) of the month <see cref="Month"/> (yyyy-MM), the month of the checkpoint that closes the stretch.
/// Its name says all of it, so listing a product's parts is enough to know what is archived.
/// </summary>
public sealed partial record LedgerArchivePart(string ProductId, string Month, long FirstSequence, long LastSequence)
{
    public string Name => string.Create(CultureInfo.InvariantCulture, $"{ProductId}/{Month}/{FirstSequence:D19}-{LastSequence:D19}.jsonl.gz");

    public long Entries => LastSequence - FirstSequence + 1;

    /// <summary>The part a name describes, or null for a name this archive did not write.</summary>
    public static LedgerArchivePart? Parse(string name)
    {
        var m = NamePattern().Match(name);
        return m.Success ? new(m.Groups[1].Value, m.Groups[2].Value, long.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture),
            long.Parse(m.Groups[4].Value, CultureInfo.InvariantCulture)) : null;
    }

    [GeneratedRegex(@"^([^/]+)/(\d{4}-\d{2})/(\d{19})-(\d{19})\.jsonl\.gz\z")]
    private static partial Regex NamePattern();
}

/// <summary>
/// Where ledger entries go when they leave the hot store: immutable parts, each written once. A store (Blob Storage,
/// memory in tests) keeps the bytes under the part's name; the application decides what they hold (gzip JSON lines).
/// Failures are the port's errors (<see cref="StoreUnavailableException"/>, <see cref="StoreThrottledException"/>).
/// </summary>
public interface ILedgerArchive
{
    /// <summary>The parts archived for a product, in ascending sequence order.</summary>
    Task<IReadOnlyList<LedgerArchivePart>> ListAsync(string productId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores a part unless one of that name exists (then nothing is written and the answer is false). Returns only once
    /// the service has confirmed the write: after it, the part can be read back.
    /// </summary>
    Task<bool> WriteAsync(LedgerArchivePart part, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default);

    Task<byte[]> ReadAsync(LedgerArchivePart part, CancellationToken cancellationToken = default);
}
