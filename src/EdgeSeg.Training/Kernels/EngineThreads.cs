namespace EdgeSeg.Training.Kernels;

/// <summary>
/// How many threads the engine's kernels use. Work is split into fixed tiles whose results do not depend on which
/// thread computes them, so the same inputs give bit-identical results for any thread count.
/// </summary>
public static class EngineThreads
{
    private static int s_count = Environment.ProcessorCount;

    /// <summary>Threads used by GEMM and the other parallel kernels (default: processor count).</summary>
    public static int Count
    {
        get => s_count;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            s_count = value;
        }
    }

    /// <summary>Runs <paramref name="body"/> for 0..count-1 on up to <see cref="Count"/> threads.</summary>
    internal static void For(int count, Action<int> body)
    {
        if (count <= 0)
        {
            return;
        }

        if (count == 1 || s_count == 1)
        {
            for (var i = 0; i < count; i++)
            {
                body(i);
            }

            return;
        }

        Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = s_count }, body);
    }
}
