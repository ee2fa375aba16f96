using EdgeSeg.Training.Kernels;
using EdgeSeg.Training.Losses;
using EdgeSeg.Training.Models;
using EdgeSeg.Training.Optim;
using EdgeSeg.Training.Tensors;
using EdgeSeg.Training.Tests.Kernels;
using EdgeSeg.TestSupport;

namespace EdgeSeg.Training.Tests.Models;

[Collection(nameof(EngineStateGroup))]
public class UNetStepAllocationTests
{
    [Fact]
    public void TrainingStep_SteadyStateInArenaOnTwoThreads_AllocatesOnlyGraphBookkeeping()
    {
        var threads = EngineThreads.Count;
        EngineThreads.Count = 2;
        try
        {
            var model = new UNet(new UNetOptions { Depth = 2, BaseWidth = 4, Classes = 5 }, seed: 1);
            var optimizer = new Sgd(model.NamedParameters(), 0.01, momentum: 0.9);
            var x = Tensor.RandomNormal(new Random(2), 1f, 2, 3, 32, 32);
            var labels = Enumerable.Range(0, 2 * 32 * 32).Select(i => (byte)(i % 5)).ToArray();
            var loss = new CrossEntropyLoss(5);
            var arena = new TensorArena();
            using var scope = TensorArena.Use(arena);
            void Step()
            {
                arena.Reset();
                optimizer.ZeroGrad();
                loss.Forward(model.Forward(x), labels).Backward();
                optimizer.Step();
            }

            Step();
            Step();

            // What is left per step is the recorded graph (nodes, backward closures, result tensors' objects, ~40 KB
            // here); with Parallel.For under every parallel loop it was ~280 KB, with a float[] per batch norm more.
            var perStep = Allocations.QuietestRound(Step, rounds: 3, callsPerRound: 1);
            Assert.InRange(perStep, 1, 96 * 1024);
        }
        finally
        {
            EngineThreads.Count = threads;
        }
    }
}
