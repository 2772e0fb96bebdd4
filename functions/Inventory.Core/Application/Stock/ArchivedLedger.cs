using System.IO.Compression;
using System.Text;
using Inventory.Domain;
using Inventory.Storage;

namespace Inventory.Application.Stock;

/// <summary>
/// A product's ledger below the hot store: the format of a part (gzip of one JSON entry a line, ascending sequence) and
/// reads of entries below a sequence, newest first, for the ledger route and the full audit.
/// </summary>
public sealed class ArchivedLedger(ILedgerArchive archive)
{
    public ILedgerArchive Archive => archive;

    public static byte[] Encode(IEnumerable<LedgerEntry> ascending)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Optimal, leaveOpen: true))
        using (var writer = new StreamWriter(gzip, new UTF8Encoding(false)))
            foreach (var entry in ascending)
            {
                writer.Write(DocumentJson.Write(entry));
                writer.Write('\n');
            }
        return buffer.ToArray();
    }

    public static IReadOnlyList<LedgerEntry> Decode(byte[] content)
    {
        using var gzip = new GZipStream(new MemoryStream(content), CompressionMode.Decompress);
        using var reader = new StreamReader(gzip, Encoding.UTF8);
        var entries = new List<LedgerEntry>();
        while (reader.ReadLine() is { } line)
            if (line.Length > 0) entries.Add(DocumentJson.Read<LedgerEntry>(line));
        return entries;
    }

    /// <summary>The entries of one part, checked against its name: exactly its sequences, in order, of its product.</summary>
    public async Task<IReadOnlyList<LedgerEntry>> ReadPartAsync(LedgerArchivePart part, CancellationToken ct)
    {
        var entries = Decode(await archive.ReadAsync(part, ct));
        if (entries.Count != part.Entries || entries.Where((e, i) => e.Sequence != part.FirstSequence + i || e.ProductId != part.ProductId).Any())
            throw new InvalidDataException($"Archive part {part.Name} does not hold exactly entries {part.FirstSequence}..{part.LastSequence} of its product.");
        return entries;
    }

    /// <summary>Up to <paramref name="count"/> archived entries below sequence <paramref name="below"/>, newest first.</summary>
    public async Task<IReadOnlyList<LedgerEntry>> ReadBelowAsync(string productId, long below, int count, CancellationToken ct)
    {
        var found = new List<LedgerEntry>();
        foreach (var part in (await archive.ListAsync(productId, ct)).Where(p => p.FirstSequence < below).OrderByDescending(p => p.LastSequence))
        {
            found.AddRange((await ReadPartAsync(part, ct)).Where(e => e.Sequence < below).OrderByDescending(e => e.Sequence).Take(count - found.Count));
            if (found.Count >= count) break;
            below = part.FirstSequence;
        }
        return found;
    }
}
