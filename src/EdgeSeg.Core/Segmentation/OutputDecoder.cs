using EdgeSeg.Core.Classes;

namespace EdgeSeg.Core.Segmentation;

/// <summary>
/// Per-output state of a <see cref="Segmenter"/>: class table, a plan per frame geometry and scratch buffers, made on
/// the first frame of a size and reused after that.
/// </summary>
internal sealed class OutputDecoder
{
    // A few frame sizes at once (one per source resolution in a batch); past that the oldest plan is dropped.
    private const int MaxPlans = 8;

    private readonly List<(InputGeometry Geometry, PostprocessPlan Plan)> _plans = [];
    private float[] _halfScratch = [];

    public OutputDecoder(ModelCardOutput card)
    {
        Card = card;
        for (var i = 0; i < card.Classes.Count; i++)
        {
            ClassToAppliance[i] = (byte)card.ApplianceClassOf(i);
        }
    }

    public ModelCardOutput Card { get; }

    /// <summary>Model class index to appliance class; indices past the class list are background.</summary>
    public byte[] ClassToAppliance { get; } = new byte[256];

    /// <summary>For the second and later outputs: this output's mask before it is combined.</summary>
    public byte[] ScratchMask { get; private set; } = [];

    /// <summary>For the second and later outputs: this output's confidence before it is combined.</summary>
    public float[] ScratchConfidence { get; private set; } = [];

    /// <summary>
    /// Decodes image <paramref name="item"/> of the batch in <paramref name="tensor"/> into <paramref name="mask"/>
    /// (and <paramref name="confidence"/> when not empty).
    /// </summary>
    public void Decode(OutputTensor tensor, int item, InputGeometry geometry, UpsampleMode mode, Span<byte> mask, Span<float> confidence)
    {
        var shape = tensor.Shape;
        if (Card.Kind == OutputKind.Labels)
        {
            var rank3 = shape.Length == 3 || (shape.Length == 4 && shape[1] == 1);
            if (!rank3 || shape[0] <= item)
            {
                throw new InvalidOperationException(
                    $"Output '{Card.Name}' has shape [{string.Join(", ", shape.ToArray())}]; a labels output is N x H x W or N x 1 x H x W with N > {item}.");
            }

            var plan = EnsurePlan(geometry, Card.Classes.Count, (int)shape[^2], (int)shape[^1]);
            var labels = (int)(shape[^2] * shape[^1]);
            switch (tensor.ElementType)
            {
                case TensorElementType.Int64:
                    Postprocess.Labels(tensor.As<long>().Slice(item * labels, labels), plan, mask, confidence);
                    break;
                case TensorElementType.Int32:
                    Postprocess.Labels(tensor.As<int>().Slice(item * labels, labels), plan, mask, confidence);
                    break;
                case TensorElementType.UInt8:
                    Postprocess.Labels(tensor.As<byte>().Slice(item * labels, labels), plan, mask, confidence);
                    break;
                default:
                    throw new InvalidOperationException($"Output '{Card.Name}' is {tensor.ElementType}; labels must be integers.");
            }

            return;
        }

        if (shape.Length != 4 || shape[0] <= item || shape[1] != Card.Classes.Count)
        {
            throw new InvalidOperationException(
                $"Output '{Card.Name}' has shape [{string.Join(", ", shape.ToArray())}]; the card expects N x {Card.Classes.Count} x H x W ({Card.Classes.Count} classes) with N > {item}.");
        }

        var scorePlan = EnsurePlan(geometry, Card.Classes.Count, (int)shape[2], (int)shape[3]);
        var length = (int)(shape[1] * shape[2] * shape[3]);
        ReadOnlySpan<float> scores;
        if (tensor.ElementType == TensorElementType.Float16)
        {
            var halves = tensor.As<Half>().Slice(item * length, length);
            // Grown, never shrunk: frames of several sizes alternate without reallocating.
            if (_halfScratch.Length < halves.Length)
            {
                _halfScratch = new float[halves.Length];
            }

            var converted = _halfScratch.AsSpan(0, halves.Length);
            for (var i = 0; i < halves.Length; i++)
            {
                converted[i] = (float)halves[i];
            }

            scores = converted;
        }
        else
        {
            scores = tensor.As<float>().Slice(item * length, length);
        }

        var probabilities = Card.Kind == OutputKind.Probabilities;
        if (mode == UpsampleMode.Fast)
        {
            Postprocess.ScoresFast(scores, scorePlan, mask, confidence, probabilities);
        }
        else
        {
            Postprocess.ScoresBilinear(scores, scorePlan, mask, confidence, probabilities);
        }
    }

    /// <summary>
    /// Sizes the scratch buffers for a frame of at least <paramref name="pixels"/> pixels (grown, never shrunk: frames
    /// of several sizes alternate without reallocating; use the first <paramref name="pixels"/> elements).
    /// </summary>
    public void EnsureScratch(int pixels, bool withConfidence)
    {
        if (ScratchMask.Length < pixels)
        {
            ScratchMask = new byte[pixels];
        }

        if (withConfidence && ScratchConfidence.Length < pixels)
        {
            ScratchConfidence = new float[pixels];
        }
    }

    private PostprocessPlan EnsurePlan(InputGeometry geometry, int classes, int height, int width)
    {
        for (var i = 0; i < _plans.Count; i++)
        {
            var (known, plan) = _plans[i];
            if (ReferenceEquals(known, geometry) && plan.Fits(classes, height, width, geometry.FrameWidth, geometry.FrameHeight))
            {
                return plan;
            }
        }

        // A geometry seen before under another instance, or with another output size, is replaced rather than kept twice.
        for (var i = _plans.Count - 1; i >= 0; i--)
        {
            if (_plans[i].Geometry == geometry)
            {
                _plans.RemoveAt(i);
            }
        }

        if (_plans.Count == MaxPlans)
        {
            _plans.RemoveAt(0);
        }

        var made = new PostprocessPlan(geometry, classes, height, width, ClassToAppliance);
        _plans.Add((geometry, made));
        return made;
    }

    /// <summary>Rank table for combining outputs: index by appliance class.</summary>
    public static byte[] RankTable(ModelCard card)
    {
        var rank = new byte[256];
        for (var c = 0; c < ApplianceClasses.Count; c++)
        {
            rank[c] = (byte)card.RankOf((ApplianceClass)c);
        }

        return rank;
    }
}
