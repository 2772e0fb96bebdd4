namespace Inventory.Application;

/// <summary>Settings of a product's ledger lifetime (section <c>Ledger</c>).</summary>
public sealed record LedgerOptions
{
    public const string Section = "Ledger";
    public const int DefaultCheckpointEvery = 100;

    /// <summary>
    /// A checkpoint of the balances is written in the commit whose entries reach each multiple of this many ledger
    /// entries: the quick audit reads at most this many entries (plus one commit's) after it.
    /// </summary>
    public int CheckpointEvery { get; init; } = DefaultCheckpointEvery;

    /// <summary>
    /// Ledger entries move to the archive once the month of the checkpoint that closes them ended more than this many
    /// days ago (<see cref="Stock.LedgerArchival"/>); null: they stay hot.
    /// </summary>
    public int? ArchiveAfterDays { get; init; }

    public void Validate()
    {
        if (ArchiveAfterDays is < 1 or > 36_500) throw new ArgumentOutOfRangeException(nameof(ArchiveAfterDays), ArchiveAfterDays, "Ledger:ArchiveAfterDays must be unset or between 1 and 36500.");
        if (CheckpointEvery is < 10 or > 100_000) throw new ArgumentOutOfRangeException(nameof(CheckpointEvery), CheckpointEvery, "Ledger:CheckpointEvery must be between 10 and 100000.");
    }
}
