namespace EdgeSeg.Training.Kernels;

/// <summary>
/// How many threads the engine's kernels use. Work is split into fixed tiles whose results do not depend on which
/// thread computes them, so the same inputs give bit-identical results for any thread count.
/// </summary>
public static class EngineThreads
{
    // One loop at a time runs on the persistent workers. A loop started while they are busy (on another thread, e.g.
    // parallel tests) or from inside a loop's body falls back to Parallel.For, which is correct but allocates.
    private static readonly Lock s_poolGate = new();
    private static int s_count = Environment.ProcessorCount;

    [ThreadStatic]
    private static bool t_inLoop;

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

    /// <summary>
    /// Runs <paramref name="body"/> for 0..count-1 on up to <see cref="Count"/> threads (the calling thread included).
    /// An exception thrown by <paramref name="body"/> reaches the caller after the other threads have stopped.
    /// </summary>
    internal static void For(int count, Action<int> body)
    {
        if (count <= 0)
        {
            return;
        }

        var threads = Math.Min(s_count, count);
        if (threads == 1)
        {
            for (var i = 0; i < count; i++)
            {
                body(i);
            }

            return;
        }

        if (!t_inLoop && s_poolGate.TryEnter())
        {
            t_inLoop = true;
            try
            {
                EngineWorkerPool.Run(count, threads, body);
            }
            finally
            {
                t_inLoop = false;
                s_poolGate.Exit();
            }

            return;
        }

        Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = s_count }, body);
    }

    /// <summary>Marks the calling thread as a pool worker: loops its bodies start run on Parallel.For, not on the busy pool.</summary>
    internal static void MarkWorkerThread() => t_inLoop = true;
}
