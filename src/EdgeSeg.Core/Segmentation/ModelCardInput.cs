namespace EdgeSeg.Core.Segmentation;

/// <summary>The <c>input</c> section of a model card: how frames become the model's input tensor. Immutable.</summary>
public sealed class ModelCardInput
{
    /// <summary>Name of the model input.</summary>
    public required string Name { get; init; }

    /// <summary>Tensor layout; only <c>NCHW</c> is supported.</summary>
    public string Layout { get; init; } = "NCHW";

    /// <summary>Channel order of the input tensor.</summary>
    public ColorOrder ColorOrder { get; init; } = ColorOrder.Rgb;

    /// <summary>Per-channel mean subtracted from pixel/255, in the tensor's channel order (default 0).</summary>
    public IReadOnlyList<float> Mean { get; init; } = [0f, 0f, 0f];

    /// <summary>Per-channel standard deviation dividing pixel/255 - mean, in the tensor's channel order (default 1).</summary>
    public IReadOnlyList<float> Std { get; init; } = [1f, 1f, 1f];

    /// <summary>Input width in pixels, or null for a dynamic input.</summary>
    public int? Width { get; init; }

    /// <summary>Input height in pixels, or null for a dynamic input.</summary>
    public int? Height { get; init; }

    /// <summary>For a dynamic input: frames are padded right and bottom to a multiple of this (e.g. 16 or 32).</summary>
    public int? MultipleOf { get; init; }

    /// <summary>
    /// For a dynamic input: the height frames are scaled to (aspect kept) before padding, so the model sees objects at
    /// the scale it was trained at; null runs the model on each frame at its own size.
    /// </summary>
    public int? WorkingHeight { get; init; }

    /// <summary>How a frame is fitted to a fixed input size.</summary>
    public ResizePolicy Resize { get; init; } = ResizePolicy.Stretch;

    /// <summary>The 8-bit pixel value padding is filled with before normalisation (default 0, black).</summary>
    public byte PadValue { get; init; }

    /// <summary>True when the card gives no fixed size (the input is dynamic and <see cref="MultipleOf"/> applies).</summary>
    public bool IsDynamic => Width is null;

    /// <summary>The input tensor's width and height for a <paramref name="frameWidth"/> x <paramref name="frameHeight"/> frame under this section.</summary>
    public (int Width, int Height) TensorSize(int frameWidth, int frameHeight)
    {
        var geometry = InputGeometry.For(this, frameWidth, frameHeight);
        return (geometry.TensorWidth, geometry.TensorHeight);
    }
}
