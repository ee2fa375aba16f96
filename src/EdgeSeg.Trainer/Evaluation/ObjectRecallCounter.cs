using EdgeSeg.Core.Classes;
using EdgeSeg.OpenCv;

namespace EdgeSeg.Trainer.Evaluation;

/// <summary>
/// Recall of vehicles and pedestrians by their height in the frame: each connected region (8-connected) of a class in
/// the ground truth is one object, banded by its bounding box's height in pixels. Pixel IoU hides that small, distant
/// objects are the ones missed; this makes it visible. Touching objects of one class count as one region.
/// Not thread-safe.
/// </summary>
internal sealed class ObjectRecallCounter
{
    /// <summary>The classes counted: those whose regions are separate objects.</summary>
    public static IReadOnlyList<ApplianceClass> Classes { get; } = [ApplianceClass.Vehicle, ApplianceClass.Pedestrian];

    /// <summary>Lower bounds of the height bands in pixels; each band ends where the next begins.</summary>
    public static IReadOnlyList<int> BandStarts { get; } = [0, 16, 32, 64, 128];

    private readonly ApplianceClass[] _counted;
    private readonly Tally[,] _tallies;
    private readonly List<ComponentStats> _stats = [];
    private int[] _labels = [];
    private long[] _hits = [];

    /// <summary>Creates a counter that leaves out the classes the dataset does not label.</summary>
    public ObjectRecallCounter(IReadOnlyCollection<ApplianceClass> unlabelled)
    {
        ArgumentNullException.ThrowIfNull(unlabelled);
        _counted = [.. Classes.Where(c => !unlabelled.Contains(c))];
        _tallies = new Tally[_counted.Length, BandStarts.Count];
    }

    /// <summary>
    /// Adds one image: <paramref name="truth"/> holds appliance classes or an ignore value, <paramref name="predicted"/>
    /// appliance classes, both <paramref name="width"/> pixels wide. A region counts as found when at least half its
    /// pixels are predicted as its class.
    /// </summary>
    public void Add(ReadOnlySpan<byte> truth, ReadOnlySpan<byte> predicted, int width)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        if (truth.Length != predicted.Length || truth.Length % width != 0)
        {
            throw new ArgumentException($"Truth ({truth.Length} pixels) and prediction ({predicted.Length}) must be the same whole rows of {width}.", nameof(predicted));
        }

        if (truth.IsEmpty)
        {
            return;
        }

        var height = truth.Length / width;
        if (_labels.Length < truth.Length)
        {
            _labels = new int[truth.Length];
        }

        var labels = _labels.AsSpan(0, truth.Length);
        for (var c = 0; c < _counted.Length; c++)
        {
            var cls = (byte)_counted[c];
            var count = CvImage.ConnectedComponents(truth, width, height, cls, labels, _stats);
            if (count == 0)
            {
                continue;
            }

            if (_hits.Length < count + 1)
            {
                _hits = new long[count + 1];
            }

            var hits = _hits.AsSpan(0, count + 1);
            hits.Clear();
            for (var i = 0; i < labels.Length; i++)
            {
                if (labels[i] != 0 && predicted[i] == cls)
                {
                    hits[labels[i]]++;
                }
            }

            foreach (var s in _stats)
            {
                ref var tally = ref _tallies[c, BandOf(s.Height)];
                tally.Objects++;
                tally.Pixels += s.Area;
                tally.Recalled += hits[s.Label];
                if (2 * hits[s.Label] >= s.Area)
                {
                    tally.Found++;
                }
            }
        }
    }

    /// <summary>The counts so far, per counted class the dataset labels, every band included.</summary>
    public IReadOnlyList<ObjectRecall> Result() =>
    [
        .. _counted.Select((cls, c) => new ObjectRecall(
            ApplianceClasses.NameOf(cls),
            [.. BandStarts.Select((start, b) =>
            {
                var t = _tallies[c, b];
                int? end = b + 1 < BandStarts.Count ? BandStarts[b + 1] : null;
                return new ObjectRecallBand(start, end, t.Objects, t.Found, t.Pixels, t.Recalled);
            })])),
    ];

    private static int BandOf(int height)
    {
        var band = 0;
        while (band + 1 < BandStarts.Count && height >= BandStarts[band + 1])
        {
            band++;
        }

        return band;
    }

    private struct Tally
    {
        public long Objects;
        public long Found;
        public long Pixels;
        public long Recalled;
    }
}
