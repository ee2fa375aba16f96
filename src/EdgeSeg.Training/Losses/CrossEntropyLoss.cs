using EdgeSeg.Training.Kernels;
using EdgeSeg.Training.Tensors;

namespace EdgeSeg.Training.Losses;

/// <summary>
/// Softmax cross-entropy over logits [N, K, H, W] against per-pixel byte labels [N, H, W]: a label below K is that
/// class; <see cref="IgnoreIndex"/> contributes nothing; a label registered in <see cref="PartialLabels"/> stands for
/// a set of classes ("road or lane_marking") and contributes -log(sum of their probabilities). The result is the
/// weighted mean sum(w_i * loss_i) / sum(w_i), w_i the label's class weight (for a set, the mean of its classes'
/// weights), as PyTorch's weighted mean. Immutable; safe to share.
/// </summary>
public sealed class CrossEntropyLoss
{
    private readonly float[] _weights;
    private readonly int[][] _sets;

    /// <summary>Creates the loss.</summary>
    /// <param name="classes">K, the number of logit channels.</param>
    /// <param name="classWeights">One weight per class (default all 1).</param>
    /// <param name="ignoreIndex">Label value that is ignored (default 255).</param>
    /// <param name="partialLabels">Label values (&gt;= K) standing for sets of classes.</param>
    public CrossEntropyLoss(int classes, IReadOnlyList<float>? classWeights = null, int ignoreIndex = 255, IReadOnlyDictionary<int, IReadOnlyList<int>>? partialLabels = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 2);
        Classes = classes;
        IgnoreIndex = ignoreIndex;
        if (classWeights is not null && classWeights.Count != classes)
        {
            throw new ArgumentException($"classWeights has {classWeights.Count} entries; the model has {classes} classes.", nameof(classWeights));
        }

        _weights = classWeights?.ToArray() ?? Enumerable.Repeat(1f, classes).ToArray();
        if (_weights.Any(w => w < 0 || !float.IsFinite(w)))
        {
            throw new ArgumentException("classWeights must be finite and >= 0.", nameof(classWeights));
        }

        _sets = new int[256][];
        for (var c = 0; c < classes && c < 256; c++)
        {
            _sets[c] = [c];
        }

        PartialLabels = partialLabels ?? new Dictionary<int, IReadOnlyList<int>>();
        foreach (var (label, set) in PartialLabels)
        {
            if (label < classes || label > 255 || label == ignoreIndex)
            {
                throw new ArgumentException($"partial label {label} must be in [{classes}, 255] and differ from the ignore index {ignoreIndex}.", nameof(partialLabels));
            }

            if (set.Count == 0 || set.Any(c => c < 0 || c >= classes) || set.Distinct().Count() != set.Count)
            {
                throw new ArgumentException($"partial label {label} must name distinct classes in [0, {classes}).", nameof(partialLabels));
            }

            _sets[label] = set.ToArray();
        }
    }

    /// <summary>K.</summary>
    public int Classes { get; }

    /// <summary>The ignored label value.</summary>
    public int IgnoreIndex { get; }

    /// <summary>Label values that stand for sets of classes.</summary>
    public IReadOnlyDictionary<int, IReadOnlyList<int>> PartialLabels { get; }

    /// <summary>The scalar loss; 0 (with zero gradient) when every pixel is ignored.</summary>
    /// <param name="logits">[N, K, H, W].</param>
    /// <param name="labels">N*H*W labels, row-major; copied.</param>
    public Tensor Forward(Tensor logits, ReadOnlySpan<byte> labels)
    {
        var (n, k, plane) = LossShapes.Check(logits, labels, Classes);
        var lab = TensorArena.RentOrNew<byte>(labels.Length);
        labels.CopyTo(lab);
        for (var i = 0; i < lab.Length; i++)
        {
            if (lab[i] != IgnoreIndex && _sets[lab[i]] is null)
            {
                throw new ArgumentException($"label {lab[i]} at index {i} is neither a class (< {k}), the ignore index {IgnoreIndex}, nor a partial label.", nameof(labels));
            }
        }

        var pixelWeight = TensorArena.RentOrNew<float>(lab.Length);
        var pixelLoss = TensorArena.RentOrNew<double>(lab.Length);
        var z = logits.Array;
        EngineThreads.For(n, b =>
        {
            for (var j = 0; j < plane; j++)
            {
                var idx = (b * plane) + j;
                var label = lab[idx];
                if (label == IgnoreIndex)
                {
                    continue;
                }

                var set = _sets[label];
                var max = double.NegativeInfinity;
                for (var c = 0; c < k; c++)
                {
                    max = Math.Max(max, z[(((b * k) + c) * plane) + j]);
                }

                var sum = 0.0;
                for (var c = 0; c < k; c++)
                {
                    sum += Math.Exp(z[(((b * k) + c) * plane) + j] - max);
                }

                var inSet = 0.0;
                var w = 0.0;
                foreach (var c in set)
                {
                    inSet += Math.Exp(z[(((b * k) + c) * plane) + j] - max);
                    w += _weights[c];
                }

                pixelLoss[idx] = Math.Log(sum) - Math.Log(inSet);
                pixelWeight[idx] = (float)(w / set.Length);
            }
        });

        double totalWeight = 0, total = 0;
        for (var i = 0; i < lab.Length; i++)
        {
            totalWeight += pixelWeight[i];
            total += pixelWeight[i] * pixelLoss[i];
        }

        var loss = Tensor.ForOp(1);
        loss.Data[0] = totalWeight > 0 ? (float)(total / totalWeight) : 0f;
        if (Autograd.ShouldRecord(logits) && totalWeight > 0)
        {
            Autograd.Record(loss, "CrossEntropy", [logits], g =>
            {
                var upstream = g.Array[0] / totalWeight;
                var gz = logits.EnsureGrad().Array;
                EngineThreads.For(n, b =>
                {
                    var e = new double[k];
                    for (var j = 0; j < plane; j++)
                    {
                        var idx = (b * plane) + j;
                        var label = lab[idx];
                        if (label == IgnoreIndex || pixelWeight[idx] == 0)
                        {
                            continue;
                        }

                        var set = _sets[label];
                        var max = double.NegativeInfinity;
                        for (var c = 0; c < k; c++)
                        {
                            max = Math.Max(max, z[(((b * k) + c) * plane) + j]);
                        }

                        var sum = 0.0;
                        for (var c = 0; c < k; c++)
                        {
                            e[c] = Math.Exp(z[(((b * k) + c) * plane) + j] - max);
                            sum += e[c];
                        }

                        var inSet = 0.0;
                        foreach (var c in set)
                        {
                            inSet += e[c];
                        }

                        var scale = upstream * pixelWeight[idx];
                        for (var c = 0; c < k; c++)
                        {
                            gz[(((b * k) + c) * plane) + j] += (float)(scale * e[c] / sum);
                        }

                        foreach (var c in set)
                        {
                            gz[(((b * k) + c) * plane) + j] -= (float)(scale * e[c] / inSet);
                        }
                    }
                });
            });
        }

        return loss;
    }
}
