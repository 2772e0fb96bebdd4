using System.Globalization;
using Inventory.Domain;

namespace Inventory.Application.Counts;

/// <summary>
/// A status page's token: <c>{chunk}.{row}</c>, or <c>{chunk}</c> for a chunk's first row, as every token was before
/// pages were cut to rows (so those tokens still read). Anything else, or a place not yet recorded, is refused (400).
/// </summary>
internal static class CountPageToken
{
    public static string Write(int chunk, int row) => row == 0
        ? chunk.ToString(CultureInfo.InvariantCulture)
        : string.Create(CultureInfo.InvariantCulture, $"{chunk}.{row}");

    public static (int Chunk, int Row) Read(string token, CountRecord record)
    {
        var parts = token.Split('.');
        var (chunk, row) = (0, 0);
        var read = parts.Length <= 2 && Number(parts[0], out chunk) && chunk <= record.Chunks
            // A row past the first is within a chunk already recorded (it is checked against the chunk's length when read).
            && (parts.Length == 1 || (Number(parts[1], out row) && row is > 0 and < CountBook.MaxRowsPerChunk && chunk < record.NextChunk));
        return read ? (chunk, row) : throw NotIssued();
    }

    private static bool Number(string text, out int value) => int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);

    public static ValidationException NotIssued() => new("continuationToken", "is not a token this service issued");
}
