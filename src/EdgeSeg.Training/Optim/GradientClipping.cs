using EdgeSeg.Training.Modules;

namespace EdgeSeg.Training.Optim;

/// <summary>Gradient clipping by global norm (torch.nn.utils.clip_grad_norm_).</summary>
public static class GradientClipping
{
    /// <summary>
    /// Scales all gradients by min(1, maxNorm / (norm + 1e-6)), norm the L2 norm over every gradient element;
    /// returns that norm (before clipping). Summation is sequential in double, so the result is deterministic.
    /// </summary>
    public static double ClipByNorm(IEnumerable<Parameter> parameters, double maxNorm)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxNorm);
        var list = parameters.Where(p => p.Grad is not null).ToList();
        var sum = 0.0;
        foreach (var p in list)
        {
            foreach (var g in p.Grad!.Data)
            {
                sum += (double)g * g;
            }
        }

        var norm = Math.Sqrt(sum);
        var coef = maxNorm / (norm + 1e-6);
        if (coef < 1)
        {
            foreach (var p in list)
            {
                Kernels.Simd.Scale(p.Grad!.Data, (float)coef);
            }
        }

        return norm;
    }
}
