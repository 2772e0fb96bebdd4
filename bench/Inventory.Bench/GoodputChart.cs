using System.Globalization;
using System.Text;

namespace Inventory.Bench;

/// <summary>Goodput against concurrency, one line per mode, as a self-contained SVG (log2 x axis).</summary>
public static class GoodputChart
{
    private const int Width = 720, Height = 440, Left = 70, Right = 150, Top = 40, Bottom = 60;

    public static string Svg(string title, IReadOnlyList<RunResult> runs)
    {
        var clients = runs.Select(r => r.Clients).Distinct().Order().ToArray();
        var max = Nice(runs.Max(r => r.Goodput));
        double X(int c) => Left + (Width - Left - Right) * (clients.Length == 1 ? 0.5 : Math.Log2(c) / Math.Log2(clients[^1]));
        double Y(double g) => Height - Bottom - (Height - Top - Bottom) * g / max;
        string F(double v) => v.ToString("0.#", CultureInfo.InvariantCulture);

        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"""<svg xmlns="http://www.w3.org/2000/svg" width="{Width}" height="{Height}" font-family="sans-serif" font-size="12">""").AppendLine();
        svg.Append(CultureInfo.InvariantCulture, $"""<rect width="{Width}" height="{Height}" fill="white"/><text x="{Left}" y="24" font-size="15">{title}</text>""").AppendLine();
        for (var i = 0; i <= 5; i++)
        {
            var g = max * i / 5;
            svg.Append(CultureInfo.InvariantCulture, $"""<line x1="{Left}" x2="{Width - Right}" y1="{F(Y(g))}" y2="{F(Y(g))}" stroke="#ddd"/><text x="{Left - 8}" y="{F(Y(g) + 4)}" text-anchor="end">{F(g)}</text>""").AppendLine();
        }
        foreach (var c in clients)
            svg.Append(CultureInfo.InvariantCulture, $"""<text x="{F(X(c))}" y="{Height - Bottom + 18}" text-anchor="middle">{c}</text>""").AppendLine();
        svg.Append(CultureInfo.InvariantCulture, $"""<text x="{(Left + Width - Right) / 2}" y="{Height - 18}" text-anchor="middle">concurrent clients</text>""").AppendLine();
        svg.Append(CultureInfo.InvariantCulture, $"""<text transform="translate(18 {(Top + Height - Bottom) / 2}) rotate(-90)" text-anchor="middle">reservations per second</text>""").AppendLine();

        string[] colours = ["#c0392b", "#2471a3", "#229954", "#7d3c98"];
        var modes = runs.Select(r => r.Mode).Distinct().ToArray();
        for (var m = 0; m < modes.Length; m++)
        {
            var points = runs.Where(r => r.Mode == modes[m]).OrderBy(r => r.Clients).Select(r => $"{F(X(r.Clients))},{F(Y(r.Goodput))}").ToArray();
            svg.Append(CultureInfo.InvariantCulture, $"""<polyline fill="none" stroke="{colours[m % 4]}" stroke-width="2.5" points="{string.Join(' ', points)}"/>""").AppendLine();
            foreach (var p in points)
                svg.Append(CultureInfo.InvariantCulture, $"""<circle cx="{p.Split(',')[0]}" cy="{p.Split(',')[1]}" r="3.5" fill="{colours[m % 4]}"/>""").AppendLine();
            svg.Append(CultureInfo.InvariantCulture, $"""<rect x="{Width - Right + 16}" y="{Top + 20 * m}" width="14" height="4" fill="{colours[m % 4]}"/><text x="{Width - Right + 36}" y="{Top + 20 * m + 6}">{modes[m]}</text>""").AppendLine();
        }
        return svg.Append("</svg>").AppendLine().ToString();
    }

    private static double Nice(double max)
    {
        if (max <= 0 || double.IsNaN(max)) return 1;
        var step = Math.Pow(10, Math.Floor(Math.Log10(max)));
        return Math.Ceiling(max / step * 2) / 2 * step;
    }
}
