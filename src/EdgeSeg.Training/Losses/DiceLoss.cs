using EdgeSeg.Training.Tensors;

namespace EdgeSeg.Training.Losses;

/// <summary>
/// Soft multi-class Dice loss over softmax probabilities: 1 - mean over classes of
/// (2 * sum(p*g) + s) / (sum(p) + sum(g) + s), g the one-hot label. Ignored pixels and partial-label pixels
/// (any label &gt;= K) are left out of every sum. Immutable; safe to share.
/// </summary>
public sealed class DiceLoss
{
    /// <summary>Creates the loss.</summary>
    /// <param name="classes">K.</param>
    /// <param name="smooth">s, keeps absent classes from dividing by zero (default 1).</param>
    public DiceLoss(int classes, float smooth = 1f)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 2);
        ArgumentOutOfRangeException.ThrowIfNegative(smooth);
        Classes = classes;
        Smooth = smooth;
    }

    /// <summary>K.</summary>
    public int Classes { get; }

    /// <summary>The smoothing term s.</summary>
    public float Smooth { get; }

    /// <summary>The scalar loss.</summary>
    /// <param name="logits">[N, K, H, W].</param>
    /// <param name="labels">N*H*W labels; values &gt;= K are left out; copied.</param>
    public Tensor Forward(Tensor logits, ReadOnlySpan<byte> labels)
    {
        var (n, k, plane) = LossShapes.Check(logits, labels, Classes);
        var lab = TensorArena.RentOrNew<byte>(labels.Length);
        labels.CopyTo(lab);
        var z = logits.Array;
        var probs = TensorArena.RentOrNew<double>(lab.Length * k);
        var inter = new double[k];
        var psum = new double[k];
        var gsum = new double[k];
        for (var b = 0; b < n; b++)
        {
            for (var j = 0; j < plane; j++)
            {
                var idx = (b * plane) + j;
                if (lab[idx] >= k)
                {
                    continue;
                }

                var max = double.NegativeInfinity;
                for (var c = 0; c < k; c++)
                {
                    max = Math.Max(max, z[(((b * k) + c) * plane) + j]);
                }

                var sum = 0.0;
                for (var c = 0; c < k; c++)
                {
                    var e = Math.Exp(z[(((b * k) + c) * plane) + j] - max);
                    probs[(idx * k) + c] = e;
                    sum += e;
                }

                for (var c = 0; c < k; c++)
                {
                    var p = probs[(idx * k) + c] /= sum;
                    psum[c] += p;
                }

                inter[lab[idx]] += probs[(idx * k) + lab[idx]];
                gsum[lab[idx]] += 1;
            }
        }

        double s = Smooth, mean = 0;
        var dDice = new double[k];
        var dDiceConst = new double[k];
        for (var c = 0; c < k; c++)
        {
            var den = psum[c] + gsum[c] + s;
            var num = (2 * inter[c]) + s;
            mean += num / den;

            // d dice_c / d p_ic = (2 g_ic den - num) / den^2
            dDice[c] = 2 / den;
            dDiceConst[c] = -num / (den * den);
        }

        var loss = Tensor.ForOp(1);
        loss.Data[0] = (float)(1 - (mean / k));
        if (Autograd.ShouldRecord(logits))
        {
            Autograd.Record(loss, "Dice", [logits], g =>
            {
                var upstream = -g.Array[0] / k;
                var gz = logits.EnsureGrad().Array;
                var dp = new double[k];
                for (var b = 0; b < n; b++)
                {
                    for (var j = 0; j < plane; j++)
                    {
                        var idx = (b * plane) + j;
                        if (lab[idx] >= k)
                        {
                            continue;
                        }

                        var dot = 0.0;
                        for (var c = 0; c < k; c++)
                        {
                            dp[c] = upstream * (dDiceConst[c] + (c == lab[idx] ? dDice[c] : 0));
                            dot += dp[c] * probs[(idx * k) + c];
                        }

                        for (var c = 0; c < k; c++)
                        {
                            gz[(((b * k) + c) * plane) + j] += (float)(probs[(idx * k) + c] * (dp[c] - dot));
                        }
                    }
                }
            });
        }

        return loss;
    }
}
