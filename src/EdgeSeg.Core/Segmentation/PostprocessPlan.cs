namespace EdgeSeg.Core.Segmentation;

/// <summary>
/// Everything post-processing one output of one shape for one frame size needs, computed once: sampling tables from
/// frame pixels to output positions (the letterbox padding cropped out), scratch rows and the class table.
/// Not thread-safe.
/// </summary>
internal sealed class PostprocessPlan
{
    private readonly int[] _cachedRow = [-1, -1];

    /// <param name="geometry">Where the frame sits in the input tensor.</param>
    /// <param name="classes">Number of class channels (1 for a labels output).</param>
    /// <param name="outputHeight">The output's height.</param>
    /// <param name="outputWidth">The output's width.</param>
    /// <param name="classToAppliance">Model class index to appliance class (256 entries).</param>
    public PostprocessPlan(InputGeometry geometry, int classes, int outputHeight, int outputWidth, byte[] classToAppliance)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        ArgumentNullException.ThrowIfNull(classToAppliance);
        Classes = classes;
        OutputHeight = outputHeight;
        OutputWidth = outputWidth;
        FrameWidth = geometry.FrameWidth;
        FrameHeight = geometry.FrameHeight;
        ClassToAppliance = classToAppliance;
        var sx = (double)outputWidth / geometry.TensorWidth;
        var sy = (double)outputHeight / geometry.TensorHeight;
        Columns = AxisSampling.Create(geometry.FrameWidth, geometry.ContentX * sx, geometry.ContentWidth * sx, outputWidth);
        Rows = AxisSampling.Create(geometry.FrameHeight, geometry.ContentY * sy, geometry.ContentHeight * sy, outputHeight);
        var rowLength = (classes * FrameWidth) + 8;
        UpsampledRows = [new float[rowLength], new float[rowLength]];
        ClassRow = new int[FrameWidth + 8];
        LowResClasses = new byte[outputHeight * outputWidth];
        LowResConfidence = new float[outputHeight * outputWidth];
    }

    public int Classes { get; }

    public int OutputHeight { get; }

    public int OutputWidth { get; }

    public int FrameWidth { get; }

    public int FrameHeight { get; }

    public byte[] ClassToAppliance { get; }

    /// <summary>Frame column to output column.</summary>
    public AxisSampling Columns { get; }

    /// <summary>Frame row to output row.</summary>
    public AxisSampling Rows { get; }

    /// <summary>Two output rows upsampled horizontally to the frame width (class-planar), reused as the frame rows advance.</summary>
    public float[][] UpsampledRows { get; }

    /// <summary>Arg-max class index of each pixel of one frame row.</summary>
    public int[] ClassRow { get; }

    /// <summary>Fast mode and labels: appliance class per output position.</summary>
    public byte[] LowResClasses { get; }

    /// <summary>Fast mode: confidence per output position.</summary>
    public float[] LowResConfidence { get; }

    /// <summary>True when this plan fits an output of the given size for the given frame.</summary>
    public bool Fits(int classes, int outputHeight, int outputWidth, int frameWidth, int frameHeight) =>
        classes == Classes && outputHeight == OutputHeight && outputWidth == OutputWidth && frameWidth == FrameWidth && frameHeight == FrameHeight;

    /// <summary>Forgets the cached rows (the logits changed).</summary>
    public void ResetRowCache()
    {
        _cachedRow[0] = -1;
        _cachedRow[1] = -1;
    }

    /// <summary>The slot holding upsampled output row <paramref name="row"/>, or -1.</summary>
    public int FindRow(int row) => _cachedRow[0] == row ? 0 : _cachedRow[1] == row ? 1 : -1;

    /// <summary>A slot to overwrite with <paramref name="row"/> that does not hold <paramref name="keep"/>.</summary>
    public int ClaimRow(int row, int keep)
    {
        var slot = _cachedRow[0] == keep ? 1 : 0;
        _cachedRow[slot] = row;
        return slot;
    }
}
