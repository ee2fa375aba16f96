using EdgeSeg.Trainer.Evaluation;

namespace EdgeSeg.Trainer.Reports;

/// <summary>What a report says about the run besides its curves.</summary>
/// <param name="Command">The exact command line.</param>
/// <param name="Started">When the run started.</param>
/// <param name="Elapsed">Wall time of the run (this invocation; a resumed run says so in <paramref name="Notes"/>).</param>
/// <param name="Model">The exported model's path.</param>
/// <param name="BestEpoch">The epoch whose checkpoint was exported.</param>
/// <param name="Validation">Scores of the exported model per validation dataset.</param>
/// <param name="Notes">Free text lines (architecture, data, options).</param>
internal sealed record RunSummary(
    string Command,
    DateTimeOffset Started,
    TimeSpan Elapsed,
    string Model,
    int BestEpoch,
    IReadOnlyList<EvaluationResult> Validation,
    IReadOnlyList<string> Notes);
