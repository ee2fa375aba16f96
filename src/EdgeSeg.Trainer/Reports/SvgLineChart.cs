using System.Globalization;
using System.Net;
using System.Text;

namespace EdgeSeg.Trainer.Reports;

/// <summary>
/// A self-contained SVG line chart: axes with round-number ticks, light grid, one polyline per series with point
/// markers, and a legend to the right. No script, no external fonts; renders in any browser.
/// </summary>
internal sealed class SvgLineChart
{
    private const int Width = 760;
    private const int Height = 380;
    private const int Left = 72;
    private const int Right = 170;
    private const int Top = 44;
    private const int Bottom = 56;

    /// <summary>Chart title.</summary>
    public required string Title { get; init; }

    /// <summary>X axis label.</summary>
    public required string XLabel { get; init; }

    /// <summary>Y axis label.</summary>
    public required string YLabel { get; init; }

    /// <summary>Fixed y range, or null to fit the data.</summary>
    public (double Min, double Max)? YRange { get; init; }

    /// <summary>Only integer x ticks (epochs).</summary>
    public bool IntegerX { get; init; } = true;

    /// <summary>The SVG document for <paramref name="series"/>.</summary>
    public string Render(IReadOnlyList<ChartSeries> series)
    {
        ArgumentNullException.ThrowIfNull(series);
        var points = series.SelectMany(s => s.Points).Where(p => double.IsFinite(p.X) && double.IsFinite(p.Y)).ToList();
        var (xMin, xMax) = points.Count == 0 ? (0.0, 1.0) : (points.Min(p => p.X), points.Max(p => p.X));
        var (yMin, yMax) = YRange ?? (points.Count == 0 ? (0.0, 1.0) : (points.Min(p => p.Y), points.Max(p => p.Y)));
        if (xMax - xMin < 1e-12)
        {
            xMax = xMin + 1;
        }

        if (YRange is null)
        {
            // Pad the data range a little and start at zero when the data is close to it.
            var pad = Math.Max((yMax - yMin) * 0.08, Math.Abs(yMax) * 0.02 + 1e-12);
            yMin = yMin >= 0 && yMin < (yMax - yMin) * 0.5 ? 0 : yMin - pad;
            yMax += pad;
        }

        var xTicks = Ticks(xMin, xMax, 8, IntegerX);
        var yTicks = Ticks(yMin, yMax, 6, integer: false);
        xMin = Math.Min(xMin, xTicks[0]);
        xMax = Math.Max(xMax, xTicks[^1]);
        yMin = Math.Min(yMin, yTicks[0]);
        yMax = Math.Max(yMax, yTicks[^1]);
        var plotW = Width - Left - Right;
        var plotH = Height - Top - Bottom;
        double Px(double x) => Left + ((x - xMin) / (xMax - xMin) * plotW);
        double Py(double y) => Top + plotH - ((y - yMin) / (yMax - yMin) * plotH);

        var svg = new StringBuilder();
        Append(svg, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" viewBox=\"0 0 {Width} {Height}\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"13\">\n");
        Append(svg, $"<rect width=\"{Width}\" height=\"{Height}\" fill=\"#ffffff\"/>\n");
        Append(svg, $"<text x=\"{Left}\" y=\"26\" font-size=\"16\" font-weight=\"bold\" fill=\"#222\">{Escape(Title)}</text>\n");
        var yDecimals = Decimals(yTicks);
        foreach (var t in yTicks)
        {
            Append(svg, $"<line x1=\"{Left}\" x2=\"{Left + plotW}\" y1=\"{F(Py(t))}\" y2=\"{F(Py(t))}\" stroke=\"#e4e4e4\"/>\n");
            Append(svg, $"<text x=\"{Left - 8}\" y=\"{F(Py(t) + 4)}\" text-anchor=\"end\" fill=\"#444\">{FormatTick(t, yDecimals)}</text>\n");
        }

        var xDecimals = Decimals(xTicks);
        foreach (var t in xTicks)
        {
            Append(svg, $"<line x1=\"{F(Px(t))}\" x2=\"{F(Px(t))}\" y1=\"{Top}\" y2=\"{Top + plotH}\" stroke=\"#f0f0f0\"/>\n");
            Append(svg, $"<text x=\"{F(Px(t))}\" y=\"{Top + plotH + 20}\" text-anchor=\"middle\" fill=\"#444\">{FormatTick(t, xDecimals)}</text>\n");
        }

        Append(svg, $"<rect x=\"{Left}\" y=\"{Top}\" width=\"{plotW}\" height=\"{plotH}\" fill=\"none\" stroke=\"#888\"/>\n");
        Append(svg, $"<text x=\"{Left + (plotW / 2)}\" y=\"{Height - 12}\" text-anchor=\"middle\" fill=\"#222\">{Escape(XLabel)}</text>\n");
        Append(svg, $"<text transform=\"translate(18 {Top + (plotH / 2)}) rotate(-90)\" text-anchor=\"middle\" fill=\"#222\">{Escape(YLabel)}</text>\n");

        var legendY = Top + 10;
        foreach (var s in series)
        {
            var dash = s.Dashed ? " stroke-dasharray=\"6 4\"" : string.Empty;
            foreach (var run in Runs(s.Points))
            {
                var path = string.Join(' ', run.Select(p => $"{F(Px(p.X))},{F(Py(p.Y))}"));
                Append(svg, $"<polyline points=\"{path}\" fill=\"none\" stroke=\"{s.Colour}\" stroke-width=\"2.2\"{dash}/>\n");
                if (run.Count <= 60)
                {
                    foreach (var p in run)
                    {
                        Append(svg, $"<circle cx=\"{F(Px(p.X))}\" cy=\"{F(Py(p.Y))}\" r=\"3\" fill=\"{s.Colour}\"/>\n");
                    }
                }
            }

            Append(svg, $"<line x1=\"{Width - Right + 16}\" x2=\"{Width - Right + 40}\" y1=\"{legendY}\" y2=\"{legendY}\" stroke=\"{s.Colour}\" stroke-width=\"3\"{dash}/>\n");
            Append(svg, $"<text x=\"{Width - Right + 46}\" y=\"{legendY + 4}\" fill=\"#222\">{Escape(s.Name)}</text>\n");
            legendY += 22;
        }

        svg.Append("</svg>\n");
        return svg.ToString();
    }

    /// <summary>Round-number ticks covering [min, max]: steps of 1, 2 or 5 times a power of ten.</summary>
    internal static double[] Ticks(double min, double max, int target, bool integer)
    {
        var raw = (max - min) / Math.Max(1, target);
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var step = new[] { 1.0, 2, 5, 10 }.Select(m => m * magnitude).First(s => s >= raw);
        if (integer)
        {
            step = Math.Max(1, Math.Round(step));
        }

        var first = Math.Floor((min / step) + 1e-9) * step;
        var ticks = new List<double>();
        for (var t = first; t <= max + (step * 1e-9); t += step)
        {
            ticks.Add(Math.Round(t / step) * step);
        }

        if (ticks[^1] < max - (step * 1e-9))
        {
            ticks.Add(ticks[^1] + step);
        }

        return [.. ticks];
    }

    private static int Decimals(double[] ticks)
    {
        if (ticks.Length < 2)
        {
            return 0;
        }

        var step = ticks[1] - ticks[0];
        return step >= 1 ? 0 : Math.Min(8, (int)Math.Ceiling(-Math.Log10(step) - 1e-9));
    }

    private static string FormatTick(double value, int decimals)
    {
        var a = Math.Abs(value);
        return a != 0 && (a < 1e-3 || a >= 1e6)
            ? value.ToString("0.##e+0", CultureInfo.InvariantCulture)
            : value.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
    }

    // Contiguous runs of finite points; NaN values break the line.
    private static List<List<(double X, double Y)>> Runs(IReadOnlyList<(double X, double Y)> points)
    {
        var runs = new List<List<(double, double)>>();
        List<(double, double)>? current = null;
        foreach (var p in points)
        {
            if (!double.IsFinite(p.Y) || !double.IsFinite(p.X))
            {
                current = null;
                continue;
            }

            if (current is null)
            {
                current = [];
                runs.Add(current);
            }

            current.Add(p);
        }

        return runs;
    }

    private static string F(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);

    private static string Escape(string text) => WebUtility.HtmlEncode(text);

    private static void Append(StringBuilder builder, FormattableString text) => builder.Append(text.ToString(CultureInfo.InvariantCulture));
}
