using EdgeSeg.Training.Modules;

namespace EdgeSeg.Training.Optim;

/// <summary>
/// Stochastic gradient descent with momentum, Nesterov momentum and L2 weight decay, PyTorch's torch.optim.SGD
/// semantics (dampening 0): g += wd*p; buf = momentum*buf + g (buf = g at the first step); g = nesterov ? g +
/// momentum*buf : buf; p -= lr*g.
/// </summary>
public sealed class Sgd : Optimizer
{
    /// <summary>Creates the optimiser.</summary>
    public Sgd(IReadOnlyList<Parameter> parameters, double learningRate, double momentum = 0, bool nesterov = false, double weightDecay = 0)
        : base(parameters, learningRate)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(momentum);
        ArgumentOutOfRangeException.ThrowIfNegative(weightDecay);
        if (nesterov && momentum <= 0)
        {
            throw new ArgumentException("Nesterov momentum needs momentum > 0.", nameof(nesterov));
        }

        Momentum = momentum;
        Nesterov = nesterov;
        WeightDecay = weightDecay;
    }

    /// <summary>Momentum factor.</summary>
    public double Momentum { get; }

    /// <summary>Whether Nesterov momentum is used.</summary>
    public bool Nesterov { get; }

    /// <summary>L2 penalty added to the gradient.</summary>
    public double WeightDecay { get; }

    /// <inheritdoc />
    public override string Kind => "sgd";

    /// <inheritdoc />
    protected override void Update(Parameter parameter, double learningRate, Span<float> value, ReadOnlySpan<float> grad)
    {
        var lr = (float)learningRate;
        var wd = (float)WeightDecay;
        var mom = (float)Momentum;
        if (mom == 0f)
        {
            for (var i = 0; i < value.Length; i++)
            {
                value[i] -= lr * (grad[i] + (wd * value[i]));
            }

            return;
        }

        var buf = State(parameter, "momentum_buffer", out var isNew);
        for (var i = 0; i < value.Length; i++)
        {
            var g = grad[i] + (wd * value[i]);
            buf[i] = isNew ? g : (mom * buf[i]) + g;
            var d = Nesterov ? g + (mom * buf[i]) : buf[i];
            value[i] -= lr * d;
        }
    }
}
