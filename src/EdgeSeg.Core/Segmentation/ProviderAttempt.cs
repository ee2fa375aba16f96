namespace EdgeSeg.Core.Segmentation;

/// <summary>The outcome of trying one execution provider.</summary>
/// <param name="Provider">The configured name (<c>tensorrt</c>, <c>cuda</c>, <c>cpu</c>).</param>
/// <param name="Succeeded">True when this provider opened the model.</param>
/// <param name="Reason">Why it was skipped (the engine's own message), or null when it succeeded or was not tried.</param>
public sealed record ProviderAttempt(string Provider, bool Succeeded, string? Reason);
