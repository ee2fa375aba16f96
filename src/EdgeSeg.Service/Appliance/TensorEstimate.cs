using System.Globalization;
using EdgeSeg.Core.Segmentation;

namespace EdgeSeg.Service.Appliance;

/// <summary>
/// An upper estimate of the memory a segmenter's tensors take for the largest frame the pipeline accepts: per frame
/// in flight, the float input (3 x H x W) and every output at the input's resolution (classes x H x W, the most a
/// U-Net gives), times the frames that hold tensors at once (the batch, or the overlap's slots). Checked when a model
/// loads, so a card whose geometry would exhaust memory (a <c>workingHeight</c> of 16384) is refused before a frame.
/// </summary>
internal static class TensorEstimate
{
    /// <summary>The frame size estimated for: the largest at 16:9 within <paramref name="maxFramePixels"/>.</summary>
    public static (int Width, int Height) LargestFrame(long maxFramePixels)
    {
        var height = (int)Math.Floor(Math.Sqrt(maxFramePixels * 9.0 / 16.0));
        return ((int)(maxFramePixels / height), height);
    }

    /// <summary>Bytes for <paramref name="card"/> at <paramref name="frame"/>, <paramref name="framesHoldingTensors"/> frames at once.</summary>
    public static long Bytes(ModelCard card, (int Width, int Height) frame, int framesHoldingTensors)
    {
        ArgumentNullException.ThrowIfNull(card);
        var (width, height) = card.Input.TensorSize(frame.Width, frame.Height);
        var pixels = (long)width * height;
        var channels = 3L + card.Outputs.Sum(o => o.Kind == OutputKind.Labels ? 1L : o.Classes.Count);
        return channels * pixels * sizeof(float) * framesHoldingTensors;
    }

    /// <summary>Why the model is refused (over <paramref name="maxMegabytes"/>), or null.</summary>
    public static string? Check(ModelCard card, long maxFramePixels, int framesHoldingTensors, int maxMegabytes)
    {
        ArgumentNullException.ThrowIfNull(card);
        var frame = LargestFrame(maxFramePixels);
        var bytes = Bytes(card, frame, framesHoldingTensors);
        if (bytes <= (long)maxMegabytes << 20)
        {
            return null;
        }

        var (width, height) = card.Input.TensorSize(frame.Width, frame.Height);
        return string.Create(CultureInfo.InvariantCulture,
            $"its tensors would take about {bytes >> 20} MB ({framesHoldingTensors} frame(s) of a {width}x{height} input for a {frame.Width}x{frame.Height} frame, the largest Pipeline:MaxFramePixels allows at 16:9), over Model:MaxTensorMegabytes = {maxMegabytes}");
    }
}
