namespace EdgeSeg.Pipeline.Diagnostics;

/// <summary>The pipeline's counters at a moment (for the service's metrics endpoint). Allocated per call.</summary>
/// <param name="TakenAtUtc">When.</param>
/// <param name="Sources">Per source.</param>
/// <param name="Stages">capture, inference, analysis, publish.</param>
public sealed record PipelineSnapshot(DateTime TakenAtUtc, IReadOnlyList<SourceSnapshot> Sources, IReadOnlyList<StageSnapshot> Stages);
