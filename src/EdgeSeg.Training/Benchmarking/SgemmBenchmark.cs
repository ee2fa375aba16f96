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
    /// A 3x3 convolution (stride 1, padding 1) of one <paramref name="channels"/> x <paramref name="size"/>^2 image to
    /// <paramref name="outChannels"/> channels as the GEMM outChannels x size^2 x channels*9, measured as in
    /// <see cref="MeasureGflops"/> after half a second of untimed runs. <paramref name="implicitGemm"/>: B packed straight from the image (what
    /// <c>Ops.Conv2d</c> does); otherwise the im2col matrix is written first and multiplied (time included).
    /// <paramref name="weightGradient"/>: the weight-gradient product dW[o, c*9] = dY[o, size^2] * cols^T instead.
    /// </summary>
    public static (double WallGflops, double CpuGflops) MeasureConvGflops(int outChannels, int channels, int size, bool implicitGemm, bool weightGradient, int repeats = 5)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(outChannels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(repeats, 1);
        var rng = new Random(1);
        var columns = new ConvColumns(channels, size, size, 3, 3, 1, 1, 1);
        int ck = columns.Rows, plane = columns.Columns;
        var image = new float[columns.ImageLength];
        var weight = new float[outChannels * ck];
        var gradOut = new float[outChannels * plane];
        var output = new float[outChannels * (weightGradient ? ck : plane)];
        var col = implicitGemm ? null : new float[ck * plane];
        foreach (var array in new[] { image, weight, gradOut })
        {
            for (var i = 0; i < array.Length; i++)
            {
                array[i] = rng.NextSingle();
            }
        }

        void Run()
        {
            if (!implicitGemm)
            {
                Im2Col.Forward(image, 0, channels, size, size, 3, 3, 1, 1, 1, col!);
            }

            switch (weightGradient, implicitGemm)
            {
                case (false, true):
                    Sgemm.Multiply(false, false, outChannels, plane, ck, weight, ck, image, columns, output, plane, false);
                    break;
                case (false, false):
                    Sgemm.Multiply(false, false, outChannels, plane, ck, weight, ck, col, plane, output, plane, false);
                    break;
                case (true, true):
                    Sgemm.Multiply(false, true, outChannels, ck, plane, gradOut, plane, image, columns, output, ck, false);
                    break;
                default:
                    Sgemm.Multiply(false, true, outChannels, ck, plane, gradOut, plane, col, plane, output, ck, false);
                    break;
            }
        }

        // Untimed runs for half a second first: the packing code runs thousands of times per product and is promoted to
        // optimised code only after a few products (tiered JIT), as in a training run's first step.
        var warm = Stopwatch.GetTimestamp();
        do
        {
            Run();
        }
        while (Stopwatch.GetElapsedTime(warm).TotalSeconds < 0.5);

        var best = double.MaxValue;
        var cpu = TimeSpan.Zero;
        for (var r = 0; r < repeats; r++)
        {
            var c0 = Environment.CpuUsage.TotalTime;
            var t0 = Stopwatch.GetTimestamp();
            Run();
            best = Math.Min(best, Stopwatch.GetElapsedTime(t0).TotalSeconds);
            cpu += Environment.CpuUsage.TotalTime - c0;
        }

        var flops = 2.0 * outChannels * plane * ck;
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
