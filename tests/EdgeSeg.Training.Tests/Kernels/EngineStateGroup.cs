namespace EdgeSeg.Training.Tests.Kernels;

/// <summary>Tests that change process-wide engine settings (kernel choice, thread count) run one at a time.</summary>
[CollectionDefinition(nameof(EngineStateGroup), DisableParallelization = true)]
public sealed class EngineStateGroup
{
}
