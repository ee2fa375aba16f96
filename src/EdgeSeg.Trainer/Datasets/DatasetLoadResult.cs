namespace EdgeSeg.Trainer.Datasets;

/// <summary>What <see cref="DatasetLoader.Load"/> found: every problem, and the decoded samples per request.</summary>
/// <param name="Samples">Per request, its samples in split order (empty when samples were not kept).</param>
/// <param name="Problems">Every problem found, sorted by file.</param>
/// <param name="Checked">How many samples were checked.</param>
internal sealed record DatasetLoadResult(IReadOnlyList<IReadOnlyList<Sample>> Samples, IReadOnlyList<DatasetProblem> Problems, int Checked)
{
    /// <summary>True when no problem was found.</summary>
    public bool Ok => Problems.Count == 0;
}
