namespace EdgeSeg.Core.Segmentation;

/// <summary>
/// Where a frame lands in the model's input tensor: the tensor's size and the rectangle the frame's content fills
/// (the rest is padding). Immutable.
/// </summary>
/// <param name="FrameWidth">Frame width in pixels.</param>
/// <param name="FrameHeight">Frame height in pixels.</param>
/// <param name="TensorWidth">Input tensor width.</param>
/// <param name="TensorHeight">Input tensor height.</param>
/// <param name="ContentX">Left edge of the content rectangle in the tensor.</param>
/// <param name="ContentY">Top edge of the content rectangle in the tensor.</param>
/// <param name="ContentWidth">Width of the content rectangle.</param>
/// <param name="ContentHeight">Height of the content rectangle.</param>
internal sealed record InputGeometry(
    int FrameWidth, int FrameHeight, int TensorWidth, int TensorHeight, int ContentX, int ContentY, int ContentWidth, int ContentHeight)
{
    /// <summary>The geometry for a frame under the card's input section.</summary>
    /// <remarks>
    /// A fixed input is filled by stretching, or by letterboxing (aspect kept, content centred). A dynamic input
    /// takes the frame at scale 1, or scaled with its aspect kept to <see cref="ModelCardInput.WorkingHeight"/> when the
    /// card gives one, padded right and bottom to a multiple of <see cref="ModelCardInput.MultipleOf"/> (the U-Net
    /// rule: pad, never stretch).
    /// </remarks>
    public static InputGeometry For(ModelCardInput input, int frameWidth, int frameHeight)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(frameWidth);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(frameHeight);
        if (input.IsDynamic)
        {
            var m = input.MultipleOf ?? 1;
            var (contentWidth, contentHeight) = (frameWidth, frameHeight);
            if (input.WorkingHeight is { } working && working != frameHeight)
            {
                contentHeight = working;
                contentWidth = Math.Max(1, (int)Math.Round((double)frameWidth * working / frameHeight));
            }

            var tw = (contentWidth + m - 1) / m * m;
            var th = (contentHeight + m - 1) / m * m;
            return new InputGeometry(frameWidth, frameHeight, tw, th, 0, 0, contentWidth, contentHeight);
        }

        var w = input.Width!.Value;
        var h = input.Height!.Value;
        if (input.Resize == ResizePolicy.Stretch)
        {
            return new InputGeometry(frameWidth, frameHeight, w, h, 0, 0, w, h);
        }

        var scale = Math.Min((double)w / frameWidth, (double)h / frameHeight);
        var cw = Math.Clamp((int)Math.Round(frameWidth * scale), 1, w);
        var ch = Math.Clamp((int)Math.Round(frameHeight * scale), 1, h);
        return new InputGeometry(frameWidth, frameHeight, w, h, (w - cw) / 2, (h - ch) / 2, cw, ch);
    }
}
