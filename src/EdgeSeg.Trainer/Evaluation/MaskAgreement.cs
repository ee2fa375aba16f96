namespace EdgeSeg.Trainer.Evaluation;

/// <summary>
/// How often a model's masks equal a reference model's on the same frames (for example an int8 or float16 export
/// against its float32 original): every pixel counts, labelled or not.
/// </summary>
/// <param name="Reference">The reference model's file.</param>
/// <param name="Pixels">Pixels compared.</param>
/// <param name="Equal">Pixels where both masks hold the same class.</param>
/// <param name="LowestImage">The lowest share of equal pixels in one image.</param>
internal sealed record MaskAgreement(string Reference, long Pixels, long Equal, double LowestImage)
{
    /// <summary>Equal pixels over compared pixels; NaN when nothing was compared.</summary>
    public double Share => Pixels == 0 ? double.NaN : (double)Equal / Pixels;
}
