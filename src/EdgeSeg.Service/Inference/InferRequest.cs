using EdgeSeg.Core.Segmentation;

namespace EdgeSeg.Service.Inference;

/// <summary>What <c>edgeseg infer</c> was asked to do.</summary>
internal sealed record InferRequest
{
    public required string ModelPath { get; init; }

    public string? CardPath { get; init; }

    public required IReadOnlyList<string> Inputs { get; init; }

    public required string OutputDirectory { get; init; }

    public float Alpha { get; init; } = 0.5f;

    public required SegmenterOptions Options { get; init; }
}
