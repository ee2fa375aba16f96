using EdgeSeg.Core.Segmentation;

namespace EdgeSeg.Trainer.Evaluation;

/// <summary>A model whose masks an evaluation compares with the evaluated model's.</summary>
/// <param name="Path">Its file, as reported.</param>
/// <param name="Segmenter">It, opened; used from the evaluating thread only.</param>
internal sealed record ReferenceModel(string Path, Segmenter Segmenter);
