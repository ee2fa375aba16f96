using EdgeSeg.Training.Functional;
using EdgeSeg.Training.Tensors;

namespace EdgeSeg.Training.Modules;

/// <summary>Batch normalisation: <c>weight</c> (gamma, 1), <c>bias</c> (beta, 0), buffers <c>running_mean</c> (0), <c>running_var</c> (1).</summary>
public sealed class BatchNorm2d : Module
{
    /// <summary>Creates the layer.</summary>
    public BatchNorm2d(int channels, float momentum = 0.1f, float eps = 1e-5f)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        Channels = channels;
        Momentum = momentum;
        Eps = eps;
        Weight = RegisterParameter("weight", Tensor.Full(1f, channels));
        Bias = RegisterParameter("bias", new Tensor(channels));
        RunningMean = RegisterBuffer("running_mean", new Tensor(channels));
        RunningVar = RegisterBuffer("running_var", Tensor.Full(1f, channels));
    }

    /// <summary>Channels.</summary>
    public int Channels { get; }

    /// <summary>Running-average momentum (PyTorch's convention: new = (1-m) old + m batch).</summary>
    public float Momentum { get; }

    /// <summary>Added to the variance.</summary>
    public float Eps { get; }

    /// <summary>gamma.</summary>
    public Tensor Weight { get; }

    /// <summary>beta.</summary>
    public Tensor Bias { get; }

    /// <summary>Running mean (updated in training mode).</summary>
    public Tensor RunningMean { get; }

    /// <summary>Running unbiased variance (updated in training mode).</summary>
    public Tensor RunningVar { get; }

    /// <summary>
    /// Whether the running statistics are frozen: the layer then normalises by them and leaves them unchanged even in
    /// training mode (gamma and beta still learn). Used when fine-tuning a pretrained encoder with small batches, whose
    /// batch statistics would be noisier than the ones it was pretrained with. Off by default.
    /// </summary>
    public bool FrozenStatistics { get; set; }

    private bool UsesBatchStatistics => IsTraining && !FrozenStatistics;

    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => Ops.BatchNorm2d(input, Weight, Bias, RunningMean, RunningVar, UsesBatchStatistics, Momentum, Eps);

    /// <summary>
    /// <c>Relu(Forward(input))</c> in one fused operation (<see cref="Ops.BatchNormRelu"/>): the same results bit for bit,
    /// one pass and one tensor fewer. The layer and its state-dict entries are unchanged.
    /// </summary>
    internal Tensor ForwardRelu(Tensor input) => Ops.BatchNormRelu(input, Weight, Bias, RunningMean, RunningVar, UsesBatchStatistics, Momentum, Eps);
}
