using System.Buffers;
using System.Diagnostics;

namespace EdgeSeg.Training.Kernels;

/// <summary>
/// Single-precision GEMM: C = op(A) * op(B) (+ C). Packed and cache-blocked (Goto/BLIS style): the output is cut
/// into MC x NC tiles, each tile computed by one thread over the whole K in KC slices, so every element of C sees
/// the same summation order whatever the thread count (bit-identical results). A micro-kernel of MR x NR
/// accumulators in registers runs over packed slivers: AVX-512 (8x32), AVX2/FMA (6x16), or portable Vector&lt;T&gt; (6 x 2 vectors).
/// </summary>
internal static partial class Sgemm
{
    /// <summary>Largest micro-kernel row count (scratch sizing).</summary>
    internal const int MaxMR = 8;
    private const int KC = 256;
    // 96 rows: a whole number of 6-row (AVX2) and 8-row (AVX-512) slivers.
    private const int MC = 96;
    private const int NCBase = 512;

    private static readonly ArrayPool<float> PackPool = ArrayPool<float>.Create(1 << 20, 64);

    /// <summary>Which micro-kernel runs: "avx512", "avx2" or "vector".</summary>
    internal static string KernelName => Kernel.Name;

    internal static MicroKernel Kernel { get; set; } = MicroKernel.Best();

    /// <summary>
    /// C[m x n] = op(A)[m x k] * op(B)[k x n], or += when <paramref name="accumulate"/>. Row-major; op(X) = X^T when
    /// the trans flag is set (A is then stored k x m with leading dimension lda).
    /// </summary>
    public static unsafe void Multiply(
        bool transA, bool transB, int m, int n, int k,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, Span<float> c, int ldc, bool accumulate)
    {
        if (m == 0 || n == 0)
        {
            return;
        }

        if (k == 0)
        {
            if (!accumulate)
            {
                for (var i = 0; i < m; i++)
                {
                    c.Slice(i * ldc, n).Clear();
                }
            }

            return;
        }

        Debug.Assert(a.Length >= (transA ? ((k - 1) * lda) + m : ((m - 1) * lda) + k), "A too short");
        Debug.Assert(b.Length >= (transB ? ((n - 1) * ldb) + k : ((k - 1) * ldb) + n), "B too short");
        Debug.Assert(c.Length >= ((m - 1) * ldc) + n, "C too short");

        var kernel = Kernel;
        var nr = kernel.NR;
        var nc = NCBase;
        var tilesM = (m + MC - 1) / MC;
        var tilesN = (n + nc - 1) / nc;

        // Few tiles and several threads: narrower column tiles so every thread has work.
        var threads = EngineThreads.Count;
        while (tilesM * tilesN < threads * 2 && nc > nr * 2)
        {
            nc /= 2;
            tilesN = (n + nc - 1) / nc;
        }

        fixed (float* pa = a)
        fixed (float* pb = b)
        fixed (float* pc = c)
        {
            var job = new Job(pa, pb, pc, transA, transB, m, n, k, lda, ldb, ldc, accumulate, nc, tilesN, kernel);
            EngineThreads.For(tilesM * tilesN, job.RunTile);
        }
    }

    private sealed unsafe class Job
    {
        private readonly float* _a;
        private readonly float* _b;
        private readonly float* _c;
        private readonly bool _transA;
        private readonly bool _transB;
        private readonly int _m;
        private readonly int _n;
        private readonly int _k;
        private readonly int _lda;
        private readonly int _ldb;
        private readonly int _ldc;
        private readonly bool _accumulate;
        private readonly int _nc;
        private readonly int _tilesN;
        private readonly MicroKernel _kernel;

        public Job(float* a, float* b, float* c, bool transA, bool transB, int m, int n, int k, int lda, int ldb, int ldc, bool accumulate, int nc, int tilesN, MicroKernel kernel)
        {
            _a = a;
            _b = b;
            _c = c;
            _transA = transA;
            _transB = transB;
            _m = m;
            _n = n;
            _k = k;
            _lda = lda;
            _ldb = ldb;
            _ldc = ldc;
            _accumulate = accumulate;
            _nc = nc;
            _tilesN = tilesN;
            _kernel = kernel;
        }

        public void RunTile(int tile)
        {
            var nr = _kernel.NR;
            var mr = _kernel.MR;
            var i0 = tile / _tilesN * MC;
            var j0 = tile % _tilesN * _nc;
            var mc = Math.Min(MC, _m - i0);
            var ncur = Math.Min(_nc, _n - j0);
            var mPanels = (mc + mr - 1) / mr;
            var nPanels = (ncur + nr - 1) / nr;
            var aBuf = PackPool.Rent(mPanels * mr * KC);
            var bBuf = PackPool.Rent((nPanels * nr * KC) + 0);
            var edge = stackalloc float[MaxMR * 32];
            try
            {
                fixed (float* ap = aBuf)
                fixed (float* bp = bBuf)
                {
                    for (var p0 = 0; p0 < _k; p0 += KC)
                    {
                        var kc = Math.Min(KC, _k - p0);
                        var load = _accumulate || p0 > 0;
                        PackA(ap, i0, p0, mc, kc, mr);
                        PackB(bp, p0, j0, kc, ncur, nr);
                        for (var jp = 0; jp < nPanels; jp++)
                        {
                            var j = jp * nr;
                            var cols = Math.Min(nr, ncur - j);
                            var bPanel = bp + (jp * nr * kc);
                            for (var ip = 0; ip < mPanels; ip++)
                            {
                                var i = ip * mr;
                                var rows = Math.Min(mr, mc - i);
                                var aPanel = ap + (ip * mr * kc);
                                var cPtr = _c + ((long)(i0 + i) * _ldc) + j0 + j;
                                if (rows == mr && cols == nr)
                                {
                                    _kernel.Run(kc, aPanel, bPanel, cPtr, _ldc, load);
                                }
                                else
                                {
                                    // Edge tile: compute the full register block into scratch, copy the valid part.
                                    for (var r = 0; r < rows; r++)
                                    {
                                        for (var q = 0; q < cols; q++)
                                        {
                                            edge[(r * nr) + q] = load ? cPtr[((long)r * _ldc) + q] : 0f;
                                        }
                                    }

                                    _kernel.Run(kc, aPanel, bPanel, edge, nr, true);
                                    for (var r = 0; r < rows; r++)
                                    {
                                        for (var q = 0; q < cols; q++)
                                        {
                                            cPtr[((long)r * _ldc) + q] = edge[(r * nr) + q];
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            finally
            {
                PackPool.Return(aBuf);
                PackPool.Return(bBuf);
            }
        }

        // A slice [i0, i0+mc) x [p0, p0+kc) into mr-row slivers: sliver s holds, for each p, mr consecutive rows.
        private void PackA(float* dst, int i0, int p0, int mc, int kc, int mr)
        {
            for (var i = 0; i < mc; i += mr)
            {
                var rows = Math.Min(mr, mc - i);
                var d = dst + (i * kc);
                if (!_transA)
                {
                    for (var r = 0; r < mr; r++)
                    {
                        if (r < rows)
                        {
                            var src = _a + ((long)(i0 + i + r) * _lda) + p0;
                            for (var p = 0; p < kc; p++)
                            {
                                d[(p * mr) + r] = src[p];
                            }
                        }
                        else
                        {
                            for (var p = 0; p < kc; p++)
                            {
                                d[(p * mr) + r] = 0f;
                            }
                        }
                    }
                }
                else
                {
                    for (var p = 0; p < kc; p++)
                    {
                        var src = _a + ((long)(p0 + p) * _lda) + i0 + i;
                        var dp = d + (p * mr);
                        for (var r = 0; r < mr; r++)
                        {
                            dp[r] = r < rows ? src[r] : 0f;
                        }
                    }
                }
            }
        }

        // B slice [p0, p0+kc) x [j0, j0+ncur) into NR-column slivers: for each p, NR consecutive columns.
        private void PackB(float* dst, int p0, int j0, int kc, int ncur, int nr)
        {
            for (var j = 0; j < ncur; j += nr)
            {
                var cols = Math.Min(nr, ncur - j);
                var d = dst + (j * kc);
                if (!_transB)
                {
                    for (var p = 0; p < kc; p++)
                    {
                        var src = _b + ((long)(p0 + p) * _ldb) + j0 + j;
                        var dp = d + (p * nr);
                        if (cols == nr)
                        {
                            Buffer.MemoryCopy(src, dp, nr * sizeof(float), nr * sizeof(float));
                        }
                        else
                        {
                            for (var q = 0; q < nr; q++)
                            {
                                dp[q] = q < cols ? src[q] : 0f;
                            }
                        }
                    }
                }
                else
                {
                    for (var q = 0; q < nr; q++)
                    {
                        if (q < cols)
                        {
                            var src = _b + ((long)(j0 + j + q) * _ldb) + p0;
                            for (var p = 0; p < kc; p++)
                            {
                                d[(p * nr) + q] = src[p];
                            }
                        }
                        else
                        {
                            for (var p = 0; p < kc; p++)
                            {
                                d[(p * nr) + q] = 0f;
                            }
                        }
                    }
                }
            }
        }
    }
}
