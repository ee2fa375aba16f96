using System.Globalization;

namespace EdgeSeg.Trainer.Datasets;

/// <summary>One <c>--data DIR[:WEIGHT]</c> argument: a dataset folder and its sampling weight.</summary>
/// <param name="Directory">The dataset folder.</param>
/// <param name="Weight">Relative share of training samples drawn from it (positive).</param>
internal sealed record DataSource(string Directory, double Weight)
{
    /// <summary>Parses <c>DIR</c> (weight 1) or <c>DIR:WEIGHT</c>.</summary>
    /// <exception cref="FormatException">The weight is not a positive number.</exception>
    public static DataSource Parse(string text)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        var colon = text.LastIndexOf(':');
        if (colon > 0 && colon < text.Length - 1 && !System.IO.Directory.Exists(text))
        {
            var weightText = text[(colon + 1)..];
            if (!double.TryParse(weightText, NumberStyles.Float, CultureInfo.InvariantCulture, out var weight)
                || !double.IsFinite(weight) || weight <= 0)
            {
                throw new FormatException($"--data {text}: the weight after ':' must be a positive number, not '{weightText}'.");
            }

            return new DataSource(text[..colon], weight);
        }

        return new DataSource(text, 1.0);
    }
}
