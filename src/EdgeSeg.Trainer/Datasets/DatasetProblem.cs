namespace EdgeSeg.Trainer.Datasets;

/// <summary>One problem the dataset check found.</summary>
/// <param name="File">The file (or folder) the problem is in.</param>
/// <param name="Message">What is wrong, in words a user can act on.</param>
internal sealed record DatasetProblem(string File, string Message)
{
    /// <inheritdoc />
    public override string ToString() => $"{File}: {Message}";
}
