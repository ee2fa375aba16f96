namespace EdgeSeg.Pipeline.Tests.Pipeline;

/// <summary>Tests that read process-wide counters (the GC's allocation count) and must not overlap other tests.</summary>
[CollectionDefinition(nameof(NonParallelGroup), DisableParallelization = true)]
public sealed class NonParallelGroup;
