namespace EdgeSeg.Trainer.Reports;

/// <summary>One line of a chart.</summary>
/// <param name="Name">Legend text.</param>
/// <param name="Colour">CSS colour (<c>#rrggbb</c>).</param>
/// <param name="Points">(x, y) points in x order; NaN y values leave a gap.</param>
/// <param name="Dashed">Draw dashed (for secondary series).</param>
internal sealed record ChartSeries(string Name, string Colour, IReadOnlyList<(double X, double Y)> Points, bool Dashed = false);
