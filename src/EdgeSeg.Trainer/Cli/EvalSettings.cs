namespace EdgeSeg.Trainer.Cli;

/// <summary>The arguments of <c>edgeseg-train eval</c>.</summary>
/// <param name="Model">The ONNX model.</param>
/// <param name="Card">A card overriding the one beside the model, or null.</param>
/// <param name="Data">The dataset folder.</param>
/// <param name="Split">The split to score.</param>
/// <param name="Json">Where to write the JSON scores, or null.</param>
/// <param name="Threads">Inference threads (0: the runtime's default).</param>
/// <param name="Providers">Execution providers in order of preference.</param>
/// <param name="Reference">A model to compare masks with (for example the float32 original of an int8 export), or null.</param>
/// <param name="ReferenceCard">A card overriding the one beside the reference model, or null.</param>
internal sealed record EvalSettings(
    string Model, string? Card, string Data, string Split, string? Json, int Threads, IReadOnlyList<string> Providers, string? Reference = null, string? ReferenceCard = null);
