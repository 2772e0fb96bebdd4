using System.Globalization;
using System.Text;

namespace Inventory.Bench;

/// <summary>Grouped horizontal bars (one group per setup, one bar per series) as a self-contained SVG.</summary>
public static class BarChart
{
    private const int Width = 860, Left = 330, Right = 90, Top = 50, Bar = 16, Gap = 14;

    public static string Svg(string title, IReadOnlyList<(string Group, string Series, double Value)> bars)
    {
        var groups = bars.Select(b => b.Group).Distinct().ToArray();
        var series = bars.Select(b => b.Series).Distinct().ToArray();
        var height = Top + groups.Length * (series.Length * Bar + Gap) + 20 * series.Length + 30;
        var max = Math.Max(1, bars.Max(b => double.IsNaN(b.Value) ? 0 : b.Value));
        string F(double v) => v.ToString("0.#", CultureInfo.InvariantCulture);
        string[] colours = ["#c0392b", "#2471a3", "#229954", "#7d3c98"];
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"""<svg xmlns="http://www.w3.org/2000/svg" width="{Width}" height="{height}" font-family="sans-serif" font-size="12">""").AppendLine();
        svg.Append(CultureInfo.InvariantCulture, $"""<rect width="{Width}" height="{height}" fill="white"/><text x="10" y="24" font-size="15">{Escape(title)}</text>""").AppendLine();
        var y = Top;
        foreach (var g in groups)
        {
            svg.Append(CultureInfo.InvariantCulture, $"""<text x="{Left - 8}" y="{y + series.Length * Bar / 2 + 4}" text-anchor="end">{Escape(g)}</text>""").AppendLine();
            for (var s = 0; s < series.Length; s++)
            {
                var value = bars.FirstOrDefault(b => b.Group == g && b.Series == series[s]).Value;
                var w = (Width - Left - Right) * value / max;
                svg.Append(CultureInfo.InvariantCulture, $"""<rect x="{Left}" y="{y}" width="{F(w)}" height="{Bar - 2}" fill="{colours[s % 4]}"/><text x="{F(Left + w + 4)}" y="{y + Bar - 4}">{F(value)}</text>""").AppendLine();
                y += Bar;
            }
            y += Gap;
        }
        for (var s = 0; s < series.Length; s++)
            svg.Append(CultureInfo.InvariantCulture, $"""<rect x="{Left}" y="{y + 20 * s}" width="14" height="10" fill="{colours[s % 4]}"/><text x="{Left + 20}" y="{y + 20 * s + 9}">{Escape(series[s])}</text>""").AppendLine();
        return svg.Append("</svg>").AppendLine().ToString();
    }

    private static string Escape(string s) => s.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal);
}
