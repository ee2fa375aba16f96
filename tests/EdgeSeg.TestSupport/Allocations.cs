namespace EdgeSeg.TestSupport;

/// <summary>Allocation checks on the calling thread that a rare one-off in the runtime cannot fail.</summary>
public static class Allocations
{
    /// <summary>
    /// Runs <paramref name="action"/> <paramref name="callsPerRound"/> times in each of <paramref name="rounds"/> rounds
    /// and returns the bytes the calling thread allocated in the quietest round. An allocation made per call shows in
    /// every round; a one-off (the runtime's own bookkeeping now and then, seen about once in a few hundred test runs)
    /// in one round only.
    /// </summary>
    public static long QuietestRound(Action action, int rounds = 3, int callsPerRound = 10)
    {
        ArgumentNullException.ThrowIfNull(action);
        var quietest = long.MaxValue;
        for (var round = 0; round < rounds; round++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < callsPerRound; i++)
            {
                action();
            }

            quietest = Math.Min(quietest, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        return quietest;
    }
}
