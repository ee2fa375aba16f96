namespace EdgeSeg.Core.Segmentation;

/// <summary>
/// Everything pre-processing of one frame size needs, computed once: sampling tables, per-channel scale and bias,
/// and a scratch row. Not thread-safe (the scratch row is shared by calls).
/// </summary>
internal sealed class PreprocessPlan
{
    public PreprocessPlan(ModelCardInput input, InputGeometry geometry)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(geometry);
        Geometry = geometry;

        // Source columns are sampled in the blended BGR row, so indices step by 3 bytes' worth of floats.
        Columns = AxisSampling.Create(geometry.ContentWidth, 0, geometry.FrameWidth, geometry.FrameWidth, indexScale: 3);
        Rows = AxisSampling.Create(geometry.ContentHeight, 0, geometry.FrameHeight, geometry.FrameHeight);
        for (var c = 0; c < 3; c++)
        {
            // (p/255 - mean) / std == p * (1 / (255 std)) - mean / std
            Scale[c] = 1f / (255f * input.Std[c]);
            Bias[c] = -input.Mean[c] / input.Std[c];
            SourceChannel[c] = input.ColorOrder == ColorOrder.Bgr ? c : 2 - c;
            Pad[c] = (input.PadValue * Scale[c]) + Bias[c];
        }

        // Padded so the SIMD loop may load whole vectors at the end of a row.
        RowScratch = new float[(geometry.FrameWidth * 3) + 64];
    }

    public InputGeometry Geometry { get; }

    public AxisSampling Columns { get; }

    public AxisSampling Rows { get; }

    /// <summary>Per tensor channel: multiplier of the raw pixel value.</summary>
    public float[] Scale { get; } = new float[3];

    /// <summary>Per tensor channel: added after scaling.</summary>
    public float[] Bias { get; } = new float[3];

    /// <summary>Per tensor channel: which BGR byte feeds it.</summary>
    public int[] SourceChannel { get; } = new int[3];

    /// <summary>Per tensor channel: the normalised padding value.</summary>
    public float[] Pad { get; } = new float[3];

    public float[] RowScratch { get; }

    /// <summary>Number of floats in the tensor (3 x height x width).</summary>
    public int TensorLength => 3 * Geometry.TensorWidth * Geometry.TensorHeight;
}
