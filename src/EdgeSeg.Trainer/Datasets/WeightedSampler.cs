namespace EdgeSeg.Trainer.Datasets;

/// <summary>
/// The order of training samples per epoch when several datasets are mixed: each dataset gets a share of the epoch
/// proportional to its weight (largest-remainder rounding), drawn without repetition from its own shuffled order
/// (cycling through it when its share is larger than it is), and the epoch is then shuffled. Deterministic in
/// (seed, epoch), so a resumed run sees the same order as an uninterrupted one.
/// </summary>
internal sealed class WeightedSampler
{
    private readonly int[] _sizes;
    private readonly double[] _weights;
    private readonly int _seed;

    /// <summary>Creates the sampler.</summary>
    /// <param name="sizes">Training samples per dataset (each positive).</param>
    /// <param name="weights">Sampling weight per dataset (each positive).</param>
    /// <param name="epochSize">Samples per epoch.</param>
    /// <param name="seed">Run seed.</param>
    public WeightedSampler(IReadOnlyList<int> sizes, IReadOnlyList<double> weights, int epochSize, int seed)
    {
        ArgumentNullException.ThrowIfNull(sizes);
        ArgumentNullException.ThrowIfNull(weights);
        if (sizes.Count == 0 || sizes.Count != weights.Count)
        {
            throw new ArgumentException("One weight per dataset, at least one dataset.", nameof(weights));
        }

        if (sizes.Any(s => s <= 0) || weights.Any(w => !(w > 0) || !double.IsFinite(w)))
        {
            throw new ArgumentException("Every dataset needs at least one sample and a positive weight.", nameof(sizes));
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(epochSize);
        _sizes = [.. sizes];
        _weights = [.. weights];
        _seed = seed;
        EpochSize = epochSize;
        Shares = ComputeShares();
    }

    /// <summary>Samples per epoch.</summary>
    public int EpochSize { get; }

    /// <summary>How many samples of each dataset one epoch holds.</summary>
    public IReadOnlyList<int> Shares { get; }

    /// <summary>The (dataset, sample index) pairs of epoch <paramref name="epoch"/>, in training order.</summary>
    public IReadOnlyList<(int Dataset, int Index)> Epoch(int epoch)
    {
        var result = new List<(int, int)>(EpochSize);
        for (var d = 0; d < _sizes.Length; d++)
        {
            // Each dataset walks its own endless sequence of shuffled permutations; epoch e takes the next slice of it.
            long start = (long)epoch * Shares[d];
            for (var k = 0; k < Shares[d]; k++)
            {
                var position = start + k;
                var cycle = (int)(position / _sizes[d]);
                var permutation = Permutation(_sizes[d], Mix(_seed, d, cycle));
                result.Add((d, permutation[(int)(position % _sizes[d])]));
            }
        }

        var order = result.ToArray();
        new Random(Mix(_seed, epoch, -1)).Shuffle(order);
        return order;
    }

    // HashCode.Combine is randomised per process; resuming needs the same seeds in a new process (SplitMix64 steps).
    private static int Mix(int a, int b, int c)
    {
        var z = unchecked((ulong)a * 0x9E3779B97F4A7C15UL + (ulong)b * 0xBF58476D1CE4E5B9UL + (ulong)c * 0x94D049BB133111EBUL);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return (int)(z ^ (z >> 31));
    }

    private static int[] Permutation(int n, int seed)
    {
        var p = Enumerable.Range(0, n).ToArray();
        new Random(seed).Shuffle(p);
        return p;
    }

    private int[] ComputeShares()
    {
        var total = _weights.Sum();
        var exact = _weights.Select(w => EpochSize * w / total).ToArray();
        var shares = exact.Select(e => (int)Math.Floor(e)).ToArray();
        var left = EpochSize - shares.Sum();
        foreach (var d in Enumerable.Range(0, shares.Length).OrderByDescending(d => exact[d] - shares[d]).ThenBy(d => d).Take(left))
        {
            shares[d]++;
        }

        return shares;
    }
}
