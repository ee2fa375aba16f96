using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace EdgeSeg.Benchmarks.Mqtt;

/// <summary>
/// In-process (no generated project to build) and short: the broker benchmarks each take a few seconds per
/// operation set, and the machines here have two shared cores.
/// </summary>
public sealed class MqttBenchConfig : ManualConfig
{
    public MqttBenchConfig()
    {
        AddJob(Job.Default
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithStrategy(RunStrategy.Monitoring)
            .WithLaunchCount(1)
            .WithWarmupCount(1)
            .WithIterationCount(7));
        AddDiagnoser(MemoryDiagnoser.Default);
    }
}
