using System.Globalization;

namespace EdgeSeg.Trainer.Evaluation;

/// <summary>The regions of one class whose bounding box is <see cref="MinHeight"/> to below <see cref="EndHeight"/> rows tall.</summary>
/// <param name="MinHeight">The band's smallest height in pixels.</param>
/// <param name="EndHeight">The first height above the band; null for the last band.</param>
/// <param name="Objects">Regions in the ground truth.</param>
/// <param name="Found">Regions with at least half their pixels predicted as their class.</param>
/// <param name="Pixels">The regions' pixels.</param>
/// <param name="RecalledPixels">Of those, the pixels predicted as their class.</param>
internal sealed record ObjectRecallBand(int MinHeight, int? EndHeight, long Objects, long Found, long Pixels, long RecalledPixels)
{
    /// <summary>Found over objects; NaN without objects.</summary>
    public double FoundRate => Objects == 0 ? double.NaN : (double)Found / Objects;

    /// <summary>Recalled pixels over pixels; NaN without objects.</summary>
    public double PixelRecall => Pixels == 0 ? double.NaN : (double)RecalledPixels / Pixels;

    /// <summary>The band as people read it: "16-31 px", or "128+ px" for the last.</summary>
    public string Label => EndHeight is { } end
        ? string.Create(CultureInfo.InvariantCulture, $"{MinHeight}-{end - 1} px")
        : string.Create(CultureInfo.InvariantCulture, $"{MinHeight}+ px");
}
