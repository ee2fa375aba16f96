using EdgeSeg.Training.Tensors;

namespace EdgeSeg.Training.Functional;

/// <summary>
/// The differentiable operations of the engine, PyTorch-style functional forms over NCHW float32 tensors. Each
/// returns a new tensor and, when an input requires gradients and recording is on, records its backward.
/// </summary>
public static partial class Ops
{
    private static void RequireRank(Tensor t, int rank, string name)
    {
        ArgumentNullException.ThrowIfNull(t, name);
        if (t.Rank != rank)
        {
            throw new ArgumentException($"{name} must have rank {rank}; it has shape {t.ShapeString}.", name);
        }
    }
}
