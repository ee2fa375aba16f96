using EdgeSeg.Core.Classes;

namespace EdgeSeg.Core.Segmentation;

/// <summary>Per-output state of a <see cref="Segmenter"/>: class table, plan and scratch buffers, rebuilt only when a size changes.</summary>
internal sealed class OutputDecoder
{
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

    public PostprocessPlan? Plan { get; private set; }

    /// <summary>For the second and later outputs: this output's mask before it is combined.</summary>
    public byte[] ScratchMask { get; private set; } = [];

    /// <summary>For the second and later outputs: this output's confidence before it is combined.</summary>
    public float[] ScratchConfidence { get; private set; } = [];

    /// <summary>Decodes <paramref name="tensor"/> into <paramref name="mask"/> (and <paramref name="confidence"/> when not empty).</summary>
    public void Decode(OutputTensor tensor, InputGeometry geometry, UpsampleMode mode, Span<byte> mask, Span<float> confidence)
    {
        var shape = tensor.Shape;
        if (Card.Kind == OutputKind.Labels)
        {
            var rank3 = shape.Length == 3 || (shape.Length == 4 && shape[1] == 1);
            if (!rank3 || shape[0] != 1)
            {
                throw new InvalidOperationException($"Output '{Card.Name}' has shape [{string.Join(", ", shape.ToArray())}]; a labels output is 1 x H x W or 1 x 1 x H x W.");
            }

            var plan = EnsurePlan(geometry, Card.Classes.Count, (int)shape[^2], (int)shape[^1]);
            switch (tensor.ElementType)
            {
                case TensorElementType.Int64:
                    Postprocess.Labels(tensor.As<long>(), plan, mask, confidence);
                    break;
                case TensorElementType.Int32:
                    Postprocess.Labels(tensor.As<int>(), plan, mask, confidence);
                    break;
                case TensorElementType.UInt8:
                    Postprocess.Labels(tensor.As<byte>(), plan, mask, confidence);
                    break;
                default:
                    throw new InvalidOperationException($"Output '{Card.Name}' is {tensor.ElementType}; labels must be integers.");
            }

            return;
        }

        if (shape.Length != 4 || shape[0] != 1 || shape[1] != Card.Classes.Count)
        {
            throw new InvalidOperationException(
                $"Output '{Card.Name}' has shape [{string.Join(", ", shape.ToArray())}]; the card expects 1 x {Card.Classes.Count} x H x W ({Card.Classes.Count} classes).");
        }

        var scorePlan = EnsurePlan(geometry, Card.Classes.Count, (int)shape[2], (int)shape[3]);
        ReadOnlySpan<float> scores;
        if (tensor.ElementType == TensorElementType.Float16)
        {
            var halves = tensor.As<Half>();
            if (_halfScratch.Length != halves.Length)
            {
                _halfScratch = new float[halves.Length];
            }

            for (var i = 0; i < halves.Length; i++)
            {
                _halfScratch[i] = (float)halves[i];
            }

            scores = _halfScratch;
        }
        else
        {
            scores = tensor.As<float>();
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

    /// <summary>Sizes the scratch buffers for a frame of <paramref name="pixels"/> pixels.</summary>
    public void EnsureScratch(int pixels, bool withConfidence)
    {
        if (ScratchMask.Length != pixels)
        {
            ScratchMask = new byte[pixels];
        }

        if (withConfidence && ScratchConfidence.Length != pixels)
        {
            ScratchConfidence = new float[pixels];
        }
    }

    private PostprocessPlan EnsurePlan(InputGeometry geometry, int classes, int height, int width)
    {
        if (Plan is null || !Plan.Fits(classes, height, width, geometry.FrameWidth, geometry.FrameHeight) || !ReferenceEquals(PlanGeometry, geometry))
        {
            Plan = new PostprocessPlan(geometry, classes, height, width, ClassToAppliance);
            PlanGeometry = geometry;
        }

        return Plan;
    }

    private InputGeometry? PlanGeometry { get; set; }

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
