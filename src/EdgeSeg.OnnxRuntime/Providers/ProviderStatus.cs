namespace EdgeSeg.OnnxRuntime.Providers;

/// <summary>What <c>edgeseg doctor</c> says about one execution provider. Immutable.</summary>
/// <param name="Provider">The configured name (<c>tensorrt</c>, <c>cuda</c>, <c>cpu</c>).</param>
/// <param name="CompiledIn">The loaded build lists it (<c>GetAvailableProviders</c>).</param>
/// <param name="Usable">It can be set up on this box (its libraries load); a model may still fail on it.</param>
/// <param name="Reason">Why it is not usable (the missing library and what to install), or null.</param>
public sealed record ProviderStatus(string Provider, bool CompiledIn, bool Usable, string? Reason);
