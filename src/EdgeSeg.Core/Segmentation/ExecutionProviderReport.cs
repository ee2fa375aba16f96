namespace EdgeSeg.Core.Segmentation;

/// <summary>Which execution provider runs a model, and why each preferred one before it was skipped. Immutable.</summary>
/// <param name="Active">The configured name of the provider that runs the model (<c>cpu</c>, <c>cuda</c>, <c>tensorrt</c>).</param>
/// <param name="Attempts">Every provider tried, in order, ending with the active one.</param>
public sealed record ExecutionProviderReport(string Active, IReadOnlyList<ProviderAttempt> Attempts)
{
    /// <summary>
    /// One line for the log: <c>model runs on cpu; skipped tensorrt (reason), cuda (reason)</c>.
    /// </summary>
    public string Summary
    {
        get
        {
            var skipped = Attempts.Where(a => !a.Succeeded).Select(a => $"{a.Provider} ({a.Reason})").ToList();
            return skipped.Count == 0
                ? $"model runs on {Active}"
                : $"model runs on {Active}; skipped {string.Join(", ", skipped)}";
        }
    }
}
