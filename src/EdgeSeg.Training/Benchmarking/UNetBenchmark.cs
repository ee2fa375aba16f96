using System.Diagnostics;
using EdgeSeg.Training.Losses;
using EdgeSeg.Training.Models;
using EdgeSeg.Training.Optim;
using EdgeSeg.Training.Tensors;

namespace EdgeSeg.Training.Benchmarking;

/// <summary>Times forward, backward and a full SGD training step of a U-Net on random data (the engine's side of <c>edgeseg-train bench</c>).</summary>
public static class UNetBenchmark
{
    /// <summary>Runs the benchmark on the calling thread plus <see cref="Kernels.EngineThreads.Count"/> workers.</summary>
    public static UNetBenchmarkResult Run(UNetBenchmarkOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Steps, 1);
        var model = new UNet(new UNetOptions { Depth = options.Depth, BaseWidth = options.BaseWidth, Classes = options.Classes, Upsampling = options.Upsampling }, seed: 1);
        var opt = new Sgd(model.NamedParameters(), 0.01, momentum: 0.9, weightDecay: 1e-4);
        var rng = new Random(2);
        var x = Tensor.RandomNormal(rng, 1f, options.Batch, 3, options.Height, options.Width);
        var labels = new byte[options.Batch * options.Height * options.Width];
        for (var i = 0; i < labels.Length; i++)
        {
            labels[i] = (byte)rng.Next(options.Classes);
        }

        var loss = new CrossEntropyLoss(options.Classes);
        var fwd = new List<double>();
        var bwd = new List<double>();
        var step = new List<double>();
        var alloc = new List<long>();
        var cpu = new List<double>();
        var arena = new TensorArena();
        using var scope = TensorArena.Use(arena);
        for (var s = 0; s < options.Warmup + options.Steps; s++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            var cpu0 = Environment.CpuUsage.TotalTime;
            var t0 = Stopwatch.GetTimestamp();
            arena.Reset();
            opt.ZeroGrad();
            var l = loss.Forward(model.Forward(x), labels);
            var t1 = Stopwatch.GetTimestamp();
            l.Backward();
            var t2 = Stopwatch.GetTimestamp();
            opt.Step();
            var t3 = Stopwatch.GetTimestamp();
            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            var cpuStep = (Environment.CpuUsage.TotalTime - cpu0).TotalSeconds;
            if (s >= options.Warmup)
            {
                fwd.Add(Stopwatch.GetElapsedTime(t0, t1).TotalMilliseconds);
                bwd.Add(Stopwatch.GetElapsedTime(t1, t2).TotalMilliseconds);
                step.Add(Stopwatch.GetElapsedTime(t0, t3).TotalMilliseconds);
                alloc.Add(allocated);
                cpu.Add(cpuStep);
            }
        }

        var stepMs = Median(step);
        return new UNetBenchmarkResult(Median(fwd), Median(bwd), stepMs, options.Batch * 1000.0 / stepMs, (long)Median(alloc.Select(a => (double)a).ToList()), Median(cpu));
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        return values[values.Count / 2];
    }
}
