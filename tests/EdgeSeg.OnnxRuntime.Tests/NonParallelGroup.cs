namespace EdgeSeg.OnnxRuntime.Tests;

/// <summary>
/// Tests that read process-wide figures (resident memory) and must not overlap other tests: a test class running
/// beside them (opening segmenters, renting slots) moves those figures by tens of MB.
/// </summary>
[CollectionDefinition(nameof(NonParallelGroup), DisableParallelization = true)]
public sealed class NonParallelGroup;
