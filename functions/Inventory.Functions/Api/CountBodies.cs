using System.Globalization;
using System.Text;
using Inventory.Application.Counts;
using Inventory.Domain;
using nietras.SeparatedValues;

namespace Inventory.Functions.Api;

public sealed record CountRowBody(string? LocationId, string? ProductId, string? Sku, long? CountedQuantity, string? ReasonCode);

/// <summary>A count as JSON: the same columns as the CSV, one object a row; a row's line is its position in <c>rows</c>, from 1.</summary>
public sealed record CountBody(string? CountId, IReadOnlyList<CountRowBody?>? Rows, string? PerformedBy)
{
    public CountCommand ToCommand(string? countIdInQuery)
    {
        Required.Present("countId", CountId ?? countIdInQuery).That(countIdInQuery is null || CountId is null || countIdInQuery == CountId, "countId", $"is '{CountId}' in the body but '{countIdInQuery}' in the query")
            .Present("rows", Rows).ThrowIfAny();
        var rows = Rows!.Select((r, i) => r is null
            ? new CountRow(i + 1, null, null, null, null, null, new FieldError("row", "must be an object"))
            : new CountRow(i + 1, r.LocationId, r.ProductId, r.Sku, r.CountedQuantity, r.ReasonCode)).ToArray();
        return new CountCommand(CountId ?? countIdInQuery!, rows, PerformedBy ?? "api");
    }
}

/// <summary>
/// A count as CSV (Sep reads it: quotes, escaped quotes, CRLF, a ';' or tab separator): a header row naming the columns
/// <c>locationId</c>, <c>productId</c> or <c>sku</c> (or both), <c>countedQuantity</c>, optional <c>reasonCode</c>, in any
/// order and any letter case. A bad header refuses the whole file; a bad row is reported by its line number. Spaces
/// around a cell are layout and dropped; a quoted cell is kept as written (a SKU is matched exactly, spaces included).
/// </summary>
public static class CountCsv
{
    public static readonly string[] Columns = ["locationId", "productId", "sku", "countedQuantity", "reasonCode"];

    public static IReadOnlyList<CountRow> Read(byte[] bytes)
    {
        var text = Encoding.UTF8.GetString(bytes).TrimStart('\uFEFF');
        if (string.IsNullOrWhiteSpace(text)) throw new ValidationException("body", "is empty: send a header row and one row a count");
        using var reader = Sep.Reader(o => o with
        {
            Unescape = true, Trim = SepTrim.Outer, DisableColCountCheck = true, ColNameComparer = StringComparer.OrdinalIgnoreCase,
        }).FromText(text);
        var names = reader.Header.ColNames;
        CheckHeader(names);
        int Index(string column) => reader.Header.TryIndexOf(column, out var i) ? i : -1;
        var (location, product, sku, counted, reason) = (Index("locationId"), Index("productId"), Index("sku"), Index("countedQuantity"), Index("reasonCode"));
        var rows = new List<CountRow>();
        foreach (var row in reader)
        {
            var cells = new string?[row.ColCount];
            for (var c = 0; c < cells.Length; c++) cells[c] = row[c].ToString() is { Length: > 0 } s ? s : null;
            string? Cell(int i) => i >= 0 && i < cells.Length ? cells[i] : null;
            if (cells.All(c => c is null)) continue; // a blank line
            var line = row.LineNumberFrom;
            FieldError? error = row.ColCount != names.Count ? new FieldError("row", $"has {row.ColCount} columns; the header has {names.Count}") : null;
            long? quantity = null;
            if (Cell(counted) is { } q)
            {
                if (long.TryParse(q.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var n)) quantity = n; // a quoted " 5 " too
                else error ??= new FieldError("countedQuantity", $"must be a whole number of units, not '{q}'");
            }
            rows.Add(new CountRow(line, Cell(location), Cell(product), Cell(sku), quantity, Cell(reason), error));
        }
        if (rows.Count == 0) throw new ValidationException("body", "has a header row but no rows to count");
        return rows;
    }

    private static void CheckHeader(IReadOnlyList<string> names)
    {
        var guard = new Guard();
        bool Has(string c) => names.Contains(c, StringComparer.OrdinalIgnoreCase);
        foreach (var name in names)
            guard.That(Columns.Contains(name, StringComparer.OrdinalIgnoreCase), "header",
                $"'{name}' is not a column of a count (columns: locationId, productId or sku, countedQuantity, optional reasonCode)");
        guard.That(names.Distinct(StringComparer.OrdinalIgnoreCase).Count() == names.Count, "header", "names a column twice")
            .That(Has("locationId"), "header", "must name the column locationId")
            .That(Has("productId") || Has("sku"), "header", "must name the column productId or sku")
            .That(Has("countedQuantity"), "header", "must name the column countedQuantity")
            .ThrowIfAny();
    }
}
