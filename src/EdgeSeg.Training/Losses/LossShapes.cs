using EdgeSeg.Training.Tensors;

namespace EdgeSeg.Training.Losses;

internal static class LossShapes
{
    public static (int N, int K, int Plane) Check(Tensor logits, ReadOnlySpan<byte> labels, int classes)
    {
        ArgumentNullException.ThrowIfNull(logits);
        if (logits.Rank != 4)
        {
            throw new ArgumentException($"logits must be [N, K, H, W]; got {logits.ShapeString}.", nameof(logits));
        }

        if (logits.Dim(1) != classes)
        {
            throw new ArgumentException($"logits have {logits.Dim(1)} channels; the loss was made for {classes} classes.", nameof(logits));
        }

        var plane = logits.Dim(2) * logits.Dim(3);
        if (labels.Length != logits.Dim(0) * plane)
        {
            throw new ArgumentException($"labels has {labels.Length} values; logits {logits.ShapeString} need N*H*W = {logits.Dim(0) * plane}.", nameof(labels));
        }

        return (logits.Dim(0), classes, plane);
    }
}
