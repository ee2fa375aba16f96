using System.Globalization;
using EdgeSeg.Core.Classes;

namespace EdgeSeg.Trainer.Training;

/// <summary>Per-class loss weights from training-mask statistics.</summary>
internal static class ClassWeights
{
    /// <summary>ENet's constant c in 1 / ln(c + p).</summary>
    public const double EnetConstant = 1.02;

    /// <summary>The weights for <paramref name="mode"/>; <paramref name="given"/> is used only for <see cref="ClassWeighting.Given"/>.</summary>
    /// <exception cref="ArgumentException">Given weights are missing, of the wrong count, or not positive and finite.</exception>
    public static double[] Compute(ClassWeighting mode, ClassPixelCounts counts, IReadOnlyList<double>? given = null)
    {
        ArgumentNullException.ThrowIfNull(counts);
        return mode switch
        {
            ClassWeighting.None => [.. Enumerable.Repeat(1.0, ApplianceClasses.Count)],
            ClassWeighting.MedianFrequency => MedianFrequency(counts),
            ClassWeighting.Enet => Enet(counts),
            ClassWeighting.Given => CheckGiven(given),
            _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown class weighting."),
        };
    }

    /// <summary>
    /// Median-frequency balancing: freq(c) = pixels(c) / labelled pixels of the images where c occurs; the weight is
    /// median over the occurring classes of freq, divided by freq(c). Classes with no pixels get 1 (they are never a
    /// target, so their weight does not act).
    /// </summary>
    public static double[] MedianFrequency(ClassPixelCounts counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        var freq = new double[ApplianceClasses.Count];
        var occurring = new List<double>();
        for (var c = 0; c < freq.Length; c++)
        {
            if (counts.Pixels[c] > 0)
            {
                freq[c] = (double)counts.Pixels[c] / counts.PresentImagePixels[c];
                occurring.Add(freq[c]);
            }
        }

        if (occurring.Count == 0)
        {
            return [.. Enumerable.Repeat(1.0, freq.Length)];
        }

        occurring.Sort();
        var m = occurring.Count;
        var median = m % 2 == 1 ? occurring[m / 2] : (occurring[(m / 2) - 1] + occurring[m / 2]) / 2;
        return [.. freq.Select(f => f > 0 ? median / f : 1.0)];
    }

    /// <summary>ENet weighting: p(c) = pixels(c) / all labelled pixels; the weight is 1 / ln(1.02 + p(c)).</summary>
    public static double[] Enet(ClassPixelCounts counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        var total = counts.Total;
        return [.. counts.Pixels.Select(n => 1.0 / Math.Log(EnetConstant + (total == 0 ? 0 : (double)n / total)))];
    }

    /// <summary>Parses <c>w0,w1,w2,w3,w4</c>.</summary>
    /// <exception cref="FormatException">Not five positive numbers.</exception>
    public static double[] Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var weights = new double[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out weights[i]))
            {
                throw new FormatException($"Class weight '{parts[i]}' is not a number.");
            }
        }

        try
        {
            return CheckGiven(weights);
        }
        catch (ArgumentException e)
        {
            throw new FormatException(e.Message, e);
        }
    }

    private static double[] CheckGiven(IReadOnlyList<double>? given)
    {
        if (given is null || given.Count != ApplianceClasses.Count)
        {
            throw new ArgumentException(
                $"Given class weights need one value per appliance class ({ApplianceClasses.Count}: "
                + $"{string.Join(", ", ApplianceClasses.All.Select(c => c.Name))}), got {given?.Count ?? 0}.");
        }

        if (given.Any(w => !double.IsFinite(w) || w < 0))
        {
            throw new ArgumentException("Class weights must be finite and not negative.");
        }

        return [.. given];
    }
}
