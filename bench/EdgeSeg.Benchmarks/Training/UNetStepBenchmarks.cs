using BenchmarkDotNet.Attributes;
using EdgeSeg.Training.Losses;
using EdgeSeg.Training.Models;
using EdgeSeg.Training.Optim;
using EdgeSeg.Training.Tensors;

namespace EdgeSeg.Benchmarks.Training;

/// <summary>
/// One training step (zero grad, forward, cross-entropy, backward, SGD) of a depth-3, base-16 U-Net on a batch of
/// 2 x 128x128 inside a <see cref="TensorArena"/>: the memory diagnoser shows what a steady-state step still
/// allocates (activations come from the arena after the first step).
/// </summary>
[MemoryDiagnoser]
public class UNetStepBenchmarks
{
    private readonly TensorArena _arena = new();
    private UNet _model = null!;
    private Sgd _optimizer = null!;
    private Tensor _input = null!;
    private byte[] _labels = [];
    private CrossEntropyLoss _loss = null!;

    [GlobalSetup]
    public void Setup()
    {
        _model = new UNet(new UNetOptions { Depth = 3, BaseWidth = 16, Classes = 5 }, seed: 1);
        _optimizer = new Sgd(_model.NamedParameters(), 0.01, momentum: 0.9);
        var rng = new Random(2);
        _input = Tensor.RandomNormal(rng, 1f, 2, 3, 128, 128);
        _labels = Enumerable.Range(0, 2 * 128 * 128).Select(_ => (byte)rng.Next(5)).ToArray();
        _loss = new CrossEntropyLoss(5);
    }

    [Benchmark]
    public float TrainingStep()
    {
        using var scope = TensorArena.Use(_arena);
        _arena.Reset();
        _optimizer.ZeroGrad();
        var loss = _loss.Forward(_model.Forward(_input), _labels);
        var value = loss.Item();
        loss.Backward();
        _optimizer.Step();
        return value;
    }
}
