using EdgeSeg.Training.Modules;

namespace EdgeSeg.Training.Optim;

/// <summary>
/// Adam with decoupled weight decay, torch.optim.AdamW's semantics: p *= 1 - lr*wd; m = b1 m + (1-b1) g;
/// v = b2 v + (1-b2) g^2; p -= lr/(1-b1^t) * m / (sqrt(v)/sqrt(1-b2^t) + eps).
/// </summary>
public sealed class AdamW : Optimizer
{
    /// <summary>Creates the optimiser.</summary>
    public AdamW(IReadOnlyList<Parameter> parameters, double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double weightDecay = 1e-2)
        : base(parameters, learningRate)
    {
        if (beta1 is < 0 or >= 1 || beta2 is < 0 or >= 1)
        {
            throw new ArgumentException($"betas must be in [0, 1); got {beta1}, {beta2}.", nameof(beta1));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(eps);
        ArgumentOutOfRangeException.ThrowIfNegative(weightDecay);
        Beta1 = beta1;
        Beta2 = beta2;
        Eps = eps;
        WeightDecay = weightDecay;
    }

    /// <summary>First-moment decay.</summary>
    public double Beta1 { get; }

    /// <summary>Second-moment decay.</summary>
    public double Beta2 { get; }

    /// <summary>Denominator term.</summary>
    public double Eps { get; }

    /// <summary>Decoupled weight decay.</summary>
    public double WeightDecay { get; }

    /// <inheritdoc />
    public override string Kind => "adamw";

    /// <inheritdoc />
    protected override void Update(Parameter parameter, double learningRate, Span<float> value, ReadOnlySpan<float> grad)
    {
        var m = State(parameter, "exp_avg", out _);
        var v = State(parameter, "exp_avg_sq", out _);
        var t = StepCount;
        var bc1 = 1 - Math.Pow(Beta1, t);
        var bc2 = 1 - Math.Pow(Beta2, t);
        var decay = (float)(1 - (learningRate * WeightDecay));
        var stepSize = (float)(learningRate / bc1);
        var sqrtBc2 = (float)Math.Sqrt(bc2);
        float b1 = (float)Beta1, b2 = (float)Beta2, eps = (float)Eps;
        for (var i = 0; i < value.Length; i++)
        {
            value[i] *= decay;
            var g = grad[i];
            m[i] = (m[i] * b1) + (g * (1 - b1));
            v[i] = (v[i] * b2) + (g * g * (1 - b2));
            var denom = (MathF.Sqrt(v[i]) / sqrtBc2) + eps;
            value[i] -= stepSize * (m[i] / denom);
        }
    }
}
