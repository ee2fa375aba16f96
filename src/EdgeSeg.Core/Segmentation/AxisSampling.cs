namespace EdgeSeg.Core.Segmentation;

/// <summary>
/// Linear and nearest sampling positions along one axis, following ONNX Resize's <c>half_pixel</c> convention
/// (a destination index d maps to source coordinate (d + 0.5) / scale - 0.5, clamped to the source). Immutable once built.
/// </summary>
internal sealed class AxisSampling
{
    private AxisSampling(int length)
    {
        Index0 = new int[length];
        Index1 = new int[length];
        Weight = new float[length];
        Nearest = new int[length];
    }

    /// <summary>The lower source index of each destination index.</summary>
    public int[] Index0 { get; }

    /// <summary>The upper source index (Index0 + 1, or Index0 at the edge).</summary>
    public int[] Index1 { get; }

    /// <summary>The weight of the upper source sample.</summary>
    public float[] Weight { get; }

    /// <summary>The nearest source index.</summary>
    public int[] Nearest { get; }

    /// <summary>Number of destination positions.</summary>
    public int Length => Index0.Length;

    /// <summary>
    /// Sampling of <paramref name="destinationLength"/> positions that cover source coordinates
    /// [<paramref name="sourceStart"/>, <paramref name="sourceStart"/> + <paramref name="sourceSpan"/>) of a source
    /// with <paramref name="sourceLength"/> samples. Indices are multiplied by <paramref name="indexScale"/>.
    /// </summary>
    public static AxisSampling Create(int destinationLength, double sourceStart, double sourceSpan, int sourceLength, int indexScale = 1)
    {
        var s = new AxisSampling(destinationLength);
        var step = sourceSpan / destinationLength;
        for (var d = 0; d < destinationLength; d++)
        {
            var x = sourceStart + ((d + 0.5) * step) - 0.5;
            x = Math.Clamp(x, 0, sourceLength - 1);
            var i0 = (int)Math.Floor(x);
            var i1 = Math.Min(i0 + 1, sourceLength - 1);
            s.Index0[d] = i0 * indexScale;
            s.Index1[d] = i1 * indexScale;
            s.Weight[d] = i1 == i0 ? 0f : (float)(x - i0);
            s.Nearest[d] = Math.Min((int)Math.Floor(x + 0.5), sourceLength - 1) * indexScale;
        }

        return s;
    }
}
