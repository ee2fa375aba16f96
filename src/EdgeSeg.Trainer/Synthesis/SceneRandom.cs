namespace EdgeSeg.Trainer.Synthesis;

/// <summary>
/// A small deterministic generator (SplitMix64 seeding a xoshiro128** state) whose sequence depends only on the
/// seed, never on the runtime version: the same seed renders the same scene everywhere.
/// </summary>
internal sealed class SceneRandom
{
    private uint _s0;
    private uint _s1;
    private uint _s2;
    private uint _s3;

    public SceneRandom(ulong seed)
    {
        var x = seed;
        _s0 = (uint)SplitMix(ref x);
        _s1 = (uint)SplitMix(ref x);
        _s2 = (uint)SplitMix(ref x);
        _s3 = (uint)SplitMix(ref x);
        if ((_s0 | _s1 | _s2 | _s3) == 0)
        {
            _s0 = 1;
        }
    }

    /// <summary>A generator for an independent stream derived from several keys (seed, frame, chunk ...).</summary>
    public static SceneRandom For(ulong a, ulong b = 0, ulong c = 0) => new(Hash(a, b, c));

    /// <summary>A well-mixed 64-bit hash of the keys.</summary>
    public static ulong Hash(ulong a, ulong b = 0, ulong c = 0)
    {
        var x = a ^ 0x9E3779B97F4A7C15UL;
        var h = SplitMix(ref x);
        x = h ^ (b * 0xBF58476D1CE4E5B9UL);
        h = SplitMix(ref x);
        x = h ^ (c * 0x94D049BB133111EBUL);
        return SplitMix(ref x);
    }

    /// <summary>A uniform float in [0, 1) from a hash, for stateless per-cell decisions.</summary>
    public static float HashUnit(ulong a, ulong b = 0, ulong c = 0) => (Hash(a, b, c) >> 40) * (1f / (1 << 24));

    public uint NextUInt()
    {
        var result = RotateLeft(_s1 * 5, 7) * 9;
        var t = _s1 << 9;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = RotateLeft(_s3, 11);
        return result;
    }

    /// <summary>Uniform in [0, 1).</summary>
    public float Next() => (NextUInt() >> 8) * (1f / (1 << 24));

    /// <summary>Uniform in [min, max).</summary>
    public float Range(float min, float max) => min + ((max - min) * Next());

    /// <summary>Uniform integer in [min, max).</summary>
    public int Int(int min, int max) => min + (int)((ulong)NextUInt() * (ulong)(max - min) >> 32);

    /// <summary>True with probability <paramref name="p"/>.</summary>
    public bool Chance(float p) => Next() < p;

    /// <summary>One of the items, uniformly.</summary>
    public T Pick<T>(IReadOnlyList<T> items) => items[Int(0, items.Count)];

    /// <summary>An approximately normal value (sum of four uniforms), mean 0 and standard deviation 1.</summary>
    public float Normal() => (Next() + Next() + Next() + Next() - 2f) * 1.7320508f;

    private static uint RotateLeft(uint x, int k) => (x << k) | (x >> (32 - k));

    private static ulong SplitMix(ref ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        var z = x;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
