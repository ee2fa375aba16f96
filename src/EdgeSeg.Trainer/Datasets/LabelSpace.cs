using System.Numerics;
using EdgeSeg.Core.Classes;

namespace EdgeSeg.Trainer.Datasets;

/// <summary>
/// The training targets' byte codes. Codes 0..4 are the appliance classes; codes from 5 up each stand for a set of
/// classes (a partial label: a CamVid road pixel is "road or lane_marking"); <see cref="Ignore"/> is not trained.
/// <see cref="ClassSets"/> gives each code's class set as a bitmask (bit c = appliance class c), which the loss
/// uses as -log(sum of the set's probabilities). Immutable.
/// </summary>
internal sealed class LabelSpace
{
    /// <summary>The code of pixels that are not trained on (the datasets' ignore labels, augmentation padding).</summary>
    public const byte Ignore = ClassMap.Ignore;

    /// <summary>Marks a source value that is neither a class nor the ignore label in a lookup table.</summary>
    public const byte Invalid = 254;

    private readonly uint[] _sets;

    private LabelSpace(uint[] sets) => _sets = sets;

    /// <summary>Class-set bitmask per code (length <see cref="CodeCount"/>).</summary>
    public IReadOnlyList<uint> ClassSets => _sets;

    /// <summary>Number of codes (5 plus one per distinct partial-label set).</summary>
    public int CodeCount => _sets.Length;

    /// <summary>Whether any code is a set of more than one class.</summary>
    public bool HasPartialLabels => _sets.Length > ApplianceClasses.Count;

    /// <summary>A label space with the partial-label sets that <paramref name="datasets"/> need.</summary>
    public static LabelSpace For(IEnumerable<DatasetDescription> datasets)
    {
        ArgumentNullException.ThrowIfNull(datasets);
        var sets = new List<uint>();
        for (var c = 0; c < ApplianceClasses.Count; c++)
        {
            sets.Add(1u << c);
        }

        foreach (var d in datasets)
        {
            foreach (var set in CarrierSets(d).Values)
            {
                if (!sets.Contains(set))
                {
                    sets.Add(set);
                }
            }
        }

        return new LabelSpace([.. sets]);
    }

    /// <summary>The code of a class set; throws when the set has no code in this space.</summary>
    public byte CodeOf(uint classSet)
    {
        var code = Array.IndexOf(_sets, classSet);
        if (code < 0)
        {
            throw new ArgumentException($"Class set 0x{classSet:x} has no code in this label space.", nameof(classSet));
        }

        return (byte)code;
    }

    /// <summary>The class a code counts as for statistics (class weights): the lowest class of its set.</summary>
    /// <remarks>A partial label's set is its carrier plus the classes it hides; the carrier has the lowest index in
    /// the shared datasets, but any member would do for weighting.</remarks>
    public int PrimaryClass(byte code) => BitOperations.TrailingZeroCount(_sets[code]);

    /// <summary>
    /// A 256-entry table from <paramref name="dataset"/>'s mask values to codes: mapped class (or its partial-label
    /// set when the class carries unlabelled classes), <see cref="Ignore"/> for its ignore label, and
    /// <see cref="Invalid"/> for values outside its class list.
    /// </summary>
    public byte[] LookupFor(DatasetDescription dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var carriers = CarrierSets(dataset);
        var lut = new byte[256];
        Array.Fill(lut, Invalid);
        foreach (var (source, cls) in dataset.Mapping)
        {
            lut[source] = carriers.TryGetValue(cls, out var set) ? CodeOf(set) : (byte)cls;
        }

        if (dataset.IgnoreLabel is { } ignore)
        {
            lut[ignore] = Ignore;
        }

        return lut;
    }

    /// <summary>Applies <paramref name="lookup"/> in place; returns the index of the first invalid value or -1.</summary>
    public static int Apply(ReadOnlySpan<byte> lookup, Span<byte> pixels)
    {
        for (var i = 0; i < pixels.Length; i++)
        {
            var code = lookup[pixels[i]];
            if (code == Invalid)
            {
                return i;
            }

            pixels[i] = code;
        }

        return -1;
    }

    // Carrier class -> bitmask of the carrier and every class that carries its label in this dataset.
    private static Dictionary<ApplianceClass, uint> CarrierSets(DatasetDescription dataset)
    {
        var result = new Dictionary<ApplianceClass, uint>();
        foreach (var (unlabelled, carrier) in dataset.Unlabelled)
        {
            result[carrier] = (result.TryGetValue(carrier, out var set) ? set : 1u << (int)carrier) | (1u << (int)unlabelled);
        }

        return result;
    }
}
