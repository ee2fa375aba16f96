using System.Diagnostics;
using EdgeSeg.Training.Kernels;

namespace EdgeSeg.Training.Benchmarking;

/// <summary>SGEMM throughput and this CPU's measured peak single-precision FMA rate.</summary>
public static class SgemmBenchmark
{
    /// <summary>The micro-kernel in use ("avx512", "avx2" or "vector").</summary>
    public static string KernelName => Sgemm.KernelName;

    /// <summary>
    /// C[m x n] = A[m x k] * B[k x n]: GFLOP/s of wall time (best of <paramref name="repeats"/>) and GFLOP per
    /// second of process CPU time over all repeats (robust to other processes taking the cores).
    /// </summary>
    public static (double WallGflops, double CpuGflops) MeasureGflops(int m, int n, int k, int repeats = 5)
    {
        var rng = new Random(1);
        var a = new float[m * k];
        var b = new float[k * n];
        var c = new float[m * n];
        for (var i = 0; i < a.Length; i++)
        {
            a[i] = rng.NextSingle();
        }

        for (var i = 0; i < b.Length; i++)
        {
            b[i] = rng.NextSingle();
        }

        var best = double.MaxValue;
        var cpu = TimeSpan.Zero;
        for (var r = 0; r < repeats + 1; r++)
        {
            var c0 = Environment.CpuUsage.TotalTime;
            var t0 = Stopwatch.GetTimestamp();
            Sgemm.Multiply(false, false, m, n, k, a, k, b, n, c, n, false);
            var s = Stopwatch.GetElapsedTime(t0).TotalSeconds;
            if (r > 0)
            {
                best = Math.Min(best, s);
                cpu += Environment.CpuUsage.TotalTime - c0;
            }
        }

        var flops = 2.0 * m * n * k;
        return (flops / best / 1e9, flops * repeats / cpu.TotalSeconds / 1e9);
    }

    /// <summary>
    /// The machine's peak FMA rate as measured here: every engine thread runs the register-blocked micro-kernel on
    /// L1-resident panels (no memory traffic), so this is the ceiling any SGEMM on this CPU can reach.
    /// </summary>
    public static unsafe double MeasurePeakGflops(double seconds = 1.0)
    {
        var kernel = Sgemm.Kernel;
        var threads = EngineThreads.Count;
        const int kc = 128;
        var totals = new double[threads];
                Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
        {
            var a = new float[kc * kernel.MR];
            var b = new float[kc * kernel.NR];
            var c = new float[kernel.MR * kernel.NR];
            Array.Fill(a, 0.5f);
            Array.Fill(b, 0.25f);
            // Best of many 10 ms bursts: on a shared machine, a burst that ran undisturbed shows what the core can do.
            var best = 0.0;
            var start = Stopwatch.GetTimestamp();
            fixed (float* pa = a)
            fixed (float* pb = b)
            fixed (float* pc = c)
            {
                while (Stopwatch.GetElapsedTime(start).TotalSeconds < seconds)
                {
                    long calls = 0;
                    var t0 = Stopwatch.GetTimestamp();
                    while (Stopwatch.GetElapsedTime(t0).TotalMilliseconds < 10)
                    {
                        for (var i = 0; i < 64; i++)
                        {
                            kernel.Run(kc, pa, pb, pc, kernel.NR, false);
                        }

                        calls += 64;
                    }

                    best = Math.Max(best, 2.0 * calls * kc * kernel.MR * kernel.NR / Stopwatch.GetElapsedTime(t0).TotalSeconds / 1e9);
                }
            }

            totals[t] = best;
        });
        return totals.Sum();
    }
}
