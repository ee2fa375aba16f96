namespace EdgeSeg.Core.Evaluation;

/// <content>Scores derived from the counts.</content>
public sealed partial class ConfusionMatrix
{
    /// <summary>Pixels whose ground truth is <paramref name="cls"/> (the row sum).</summary>
    public long TruthCount(int cls)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)cls, (uint)ClassCount, nameof(cls));
        long sum = 0;
        for (var p = 0; p < ClassCount; p++)
        {
            sum += _counts[(cls * ClassCount) + p];
        }

        return sum;
    }

    /// <summary>Pixels predicted as <paramref name="cls"/> (the column sum).</summary>
    public long PredictedCount(int cls)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)cls, (uint)ClassCount, nameof(cls));
        long sum = 0;
        for (var t = 0; t < ClassCount; t++)
        {
            sum += _counts[(t * ClassCount) + cls];
        }

        return sum;
    }

    /// <summary>True when <paramref name="cls"/> occurs in the ground truth or in the prediction.</summary>
    public bool IsPresent(int cls) => TruthCount(cls) + PredictedCount(cls) > 0;

    /// <summary>Correct pixels over counted pixels; NaN when nothing was counted. Misleading on imbalanced classes.</summary>
    public double PixelAccuracy
    {
        get
        {
            long correct = 0;
            for (var c = 0; c < ClassCount; c++)
            {
                correct += _counts[(c * ClassCount) + c];
            }

            var total = Total;
            return total == 0 ? double.NaN : (double)correct / total;
        }
    }

    /// <summary>
    /// Intersection over union of <paramref name="cls"/>: TP / (TP + FP + FN). NaN when the class is absent from
    /// both ground truth and prediction (undefined, not 0 or 1).
    /// </summary>
    public double IoU(int cls)
    {
        var tp = this[cls, cls];
        var union = TruthCount(cls) + PredictedCount(cls) - tp;
        return union == 0 ? double.NaN : (double)tp / union;
    }

    /// <summary>TP / predicted; NaN when the class was never predicted.</summary>
    public double Precision(int cls)
    {
        var predicted = PredictedCount(cls);
        return predicted == 0 ? double.NaN : (double)this[cls, cls] / predicted;
    }

    /// <summary>TP / ground truth; NaN when the class never occurs in the ground truth.</summary>
    public double Recall(int cls)
    {
        var truth = TruthCount(cls);
        return truth == 0 ? double.NaN : (double)this[cls, cls] / truth;
    }

    /// <summary>
    /// Mean IoU over the classes present in ground truth or prediction; classes absent from both are excluded.
    /// NaN when no class is present.
    /// </summary>
    public double MeanIoU => MeanIoUExcluding(ReadOnlySpan<int>.Empty);

    /// <summary>
    /// Mean IoU over present classes, leaving out <paramref name="excluded"/> (for example classes a dataset does
    /// not label). NaN when no class remains.
    /// </summary>
    public double MeanIoUExcluding(ReadOnlySpan<int> excluded)
    {
        double sum = 0;
        var n = 0;
        for (var c = 0; c < ClassCount; c++)
        {
            if (excluded.Contains(c))
            {
                continue;
            }

            var iou = IoU(c);
            if (!double.IsNaN(iou))
            {
                sum += iou;
                n++;
            }
        }

        return n == 0 ? double.NaN : sum / n;
    }

    /// <summary>Sum over classes of (ground-truth share x IoU); NaN when nothing was counted.</summary>
    public double FrequencyWeightedIoU
    {
        get
        {
            var total = Total;
            if (total == 0)
            {
                return double.NaN;
            }

            double sum = 0;
            for (var c = 0; c < ClassCount; c++)
            {
                var share = (double)TruthCount(c) / total;
                if (share > 0)
                {
                    sum += share * IoU(c);
                }
            }

            return sum;
        }
    }
}
