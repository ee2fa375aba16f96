using EdgeSeg.Core.Classes;
using EdgeSeg.Training.Tensors;

namespace EdgeSeg.Trainer.Training;

/// <summary>
/// Conversions between BGR bytes and the model's tensors, matching the model card the trainer writes: RGB order,
/// <c>(pixel / 255 - mean) / std</c> per channel, NCHW; and argmax of logits back to class bytes.
/// </summary>
internal static class InputTensors
{
    /// <summary>Writes one BGR image (<paramref name="width"/> x <paramref name="height"/>) into the CHW plane set <paramref name="destination"/>.</summary>
    public static void Normalize(ReadOnlySpan<byte> bgr, Span<float> destination, int width, int height, IReadOnlyList<float> mean, IReadOnlyList<float> std)
    {
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(std);
        var plane = width * height;
        var r = destination[..plane];
        var g = destination.Slice(plane, plane);
        var b = destination.Slice(2 * plane, plane);
        float scaleR = 1f / (255f * std[0]), scaleG = 1f / (255f * std[1]), scaleB = 1f / (255f * std[2]);
        float offR = mean[0] / std[0], offG = mean[1] / std[1], offB = mean[2] / std[2];
        for (var i = 0; i < plane; i++)
        {
            b[i] = (bgr[i * 3] * scaleB) - offB;
            g[i] = (bgr[(i * 3) + 1] * scaleG) - offG;
            r[i] = (bgr[(i * 3) + 2] * scaleR) - offR;
        }
    }

    /// <summary>Argmax over the class channels of logits [N, K, H, W] into N*H*W class bytes (first maximum wins).</summary>
    public static void Argmax(Tensor logits, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(logits);
        var n = logits.Dim(0);
        var k = logits.Dim(1);
        var plane = logits.Dim(2) * logits.Dim(3);
        if (destination.Length != n * plane || k > ApplianceClasses.Count)
        {
            throw new ArgumentException($"Argmax of {logits.ShapeString} needs {n * plane} bytes and at most {ApplianceClasses.Count} classes.", nameof(destination));
        }

        var data = logits.Data;
        for (var s = 0; s < n; s++)
        {
            var offset = s * k * plane;
            for (var i = 0; i < plane; i++)
            {
                var best = 0;
                var max = data[offset + i];
                for (var c = 1; c < k; c++)
                {
                    var v = data[offset + (c * plane) + i];
                    if (v > max)
                    {
                        max = v;
                        best = c;
                    }
                }

                destination[(s * plane) + i] = (byte)best;
            }
        }
    }
}
