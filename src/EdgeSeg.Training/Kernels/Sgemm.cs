using System.Buffers;
using System.Diagnostics;
using System.Numerics;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace EdgeSeg.Training.Kernels;

/// <summary>
/// Single-precision GEMM: C = op(A) * op(B) (+ C). Packed and cache-blocked (Goto/BLIS style): the output is cut
/// into MC x NC tiles, each tile computed by one thread over the whole K in KC slices, so every element of C sees
/// the same summation order whatever the thread count (bit-identical results). A is packed once for all column
/// tiles when it is small enough; each tile packs its own B panel, from a stored matrix or, for a convolution, straight
/// from the image (<see cref="ConvColumns"/>: implicit GEMM, no im2col matrix written or read). A micro-kernel of MR x NR
/// accumulators in registers runs over packed slivers: AVX-512 (8x32), AVX2/FMA (6x16), or portable Vector&lt;T&gt; (6 x 2 vectors).
/// </summary>
internal static partial class Sgemm
{
    /// <summary>Largest micro-kernel row count (scratch sizing).</summary>
    internal const int MaxMR = 8;

    // Longest K slice. K is cut into equal slices of at most this many (288 -> one slice of 288, 2304 -> six of 384)
    // instead of full 256-slices plus a short tail, which would pay a whole extra C load/store pass for little work.
    // The slice boundaries depend only on K, so the summation order (and the bits) do not depend on the thread count.
    private const int KCMax = 384;

    // Most rows per tile. The packed B panel is reused for every row of the tile, so taller tiles pack B less often;
    // 256 x 384 floats of packed A (384 KiB) sit in L2 beside the B panel.
    private const int MC = 256;

    // Row tiles are a multiple of this: whole 6-row (AVX2, portable) and 8-row (AVX-512) slivers.
    private const int MRMultiple = 24;

    // Columns per tile (shrunk when there are too few tiles for the threads): the packed A block is reused across
    // them; KC x NC packed B (1.5 MiB at most) stays within this CPU's 2 MiB L2 beside A.
    private const int NCBase = 1024;

    // Packed panels start on a 64-byte boundary so no 512-bit load of a sliver straddles two cache lines.
    private const int AlignFloats = 16;

    // Rows of B requested ahead of the one being packed (measured: 1, 2 and 4 are within noise here; 2 is the middle).
    private const int PrefetchRows = 2;

    // Largest A packed once for the whole product (floats); bigger ones (a weight gradient's K is a whole image
    // plane) are packed per tile from the pool's ordinary buffers.
    private const int MaxPrePackedA = 1 << 21;

    // Floats between consecutive packed B slivers beyond the sliver itself (kc * nr). Without it the sliver stride is
    // a multiple of 4 KiB for the usual K slices (288 or 384 x 32 floats), so the same row of every sliver falls in
    // one L1 set and packing a row across the slivers evicts its own lines (measured: packing took twice as long).
    private const int SliverSkew = 16;

    // Rows of a transposed B packed together through 8 x 8 register transposes.
    private const int TransposeBlock = 8;

    // Floats of the per-tile buffer a transposed implicit B's row segments (one K slice long each, a transpose block
    // of them) are generated into: 12 KiB, L1-resident.
    private const int SegmentLength = TransposeBlock * KCMax;

    // Software prefetch of B's source rows (x86 only; elsewhere the hardware prefetcher is all there is).
    private static readonly bool PrefetchSupported = Sse.IsSupported;

    private static readonly ArrayPool<float> PackPool = ArrayPool<float>.Create(MaxPrePackedA + 64, 64);

    /// <summary>Which micro-kernel runs: "avx512", "avx2" or "vector".</summary>
    internal static string KernelName => Kernel.Name;

    internal static MicroKernel Kernel { get; set; } = MicroKernel.Best();

    /// <summary>
    /// C[m x n] = op(A)[m x k] * op(B)[k x n], or += when <paramref name="accumulate"/>. Row-major; op(X) = X^T when
    /// the trans flag is set (A is then stored k x m with leading dimension lda).
    /// </summary>
    public static void Multiply(
        bool transA, bool transB, int m, int n, int k,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, Span<float> c, int ldc, bool accumulate)
    {
        Debug.Assert(m == 0 || n == 0 || k == 0 || b.Length >= (transB ? ((n - 1) * ldb) + k : ((k - 1) * ldb) + n), "B too short");
        Multiply(transA, transB, m, n, k, a, lda, b, ldb, default, c, ldc, accumulate);
    }

    /// <summary>
    /// Implicit-GEMM convolution: as <see cref="Multiply(bool, bool, int, int, int, ReadOnlySpan{float}, int, ReadOnlySpan{float}, int, Span{float}, int, bool)"/>
    /// with B the im2col matrix of <paramref name="image"/> under <paramref name="columns"/>' geometry (B is
    /// columns.Rows x columns.Columns; op(B) = B^T when <paramref name="transB"/>). B's panels are packed straight
    /// from the image, with exactly the floats the materialised matrix would hold, so the result is bit-identical to
    /// <see cref="Im2Col.Forward"/> followed by the explicit product.
    /// </summary>
    public static void Multiply(
        bool transA, bool transB, int m, int n, int k,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> image, in ConvColumns columns, Span<float> c, int ldc, bool accumulate)
    {
        Debug.Assert(columns.Rows > 0, "no geometry");
        Debug.Assert(transB ? n == columns.Rows && k == columns.Columns : k == columns.Rows && n == columns.Columns, "B's shape does not match the geometry");
        Debug.Assert(image.Length >= columns.ImageLength, "image too short");
        Multiply(transA, transB, m, n, k, a, lda, image, 0, columns, c, ldc, accumulate);
    }

    // B is either stored (conv.Rows == 0: b with leading dimension ldb) or the im2col matrix of the image b.
    private static unsafe void Multiply(
        bool transA, bool transB, int m, int n, int k,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, in ConvColumns conv, Span<float> c, int ldc, bool accumulate)
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
        Debug.Assert(c.Length >= ((m - 1) * ldc) + n, "C too short");

        var kernel = Kernel;
        var nr = kernel.NR;
        var nc = NCBase;
        var kcSlices = (k + KCMax - 1) / KCMax;
        var kc = (k + kcSlices - 1) / kcSlices;

        // Equal row tiles (rounded up to whole slivers of any kernel) rather than full tiles plus a thin remainder
        // that would pack the same B panel for only a few rows.
        var tilesM = (m + MC - 1) / MC;
        var mc = (((m + tilesM - 1) / tilesM) + MRMultiple - 1) / MRMultiple * MRMultiple;
        tilesM = (m + mc - 1) / mc;
        var tilesN = (n + nc - 1) / nc;

        // Few tiles and several threads: narrower column tiles so every thread has work. Four tiles per thread, not
        // one: on a shared machine a thread that loses its core for a while leaves the others to pick up its tiles.
        // Narrower tiles cost little: A is packed once for all of them and each B panel still serves the whole row tile.
        var threads = EngineThreads.Count;
        while (threads > 1 && tilesM * tilesN < threads * 4 && nc > nr * 2)
        {
            nc /= 2;
            tilesN = (n + nc - 1) / nc;
        }

        // Several column tiles share each row tile's A block: pack all of A once (when it is small enough to pool)
        // rather than once per tile. Slice s of the packed A starts at mPad * s * kc; within it, sliver rows i at i * kcs.
        var mr = kernel.MR;
        var mPad = (m + mr - 1) / mr * mr;
        var prePack = tilesN > 1 && (long)mPad * k <= MaxPrePackedA;
        var aPacked = prePack ? PackPool.Rent((mPad * k) + AlignFloats) : null;
        try
        {
            fixed (float* pa = a)
            fixed (float* pb = b)
            fixed (float* pc = c)
            fixed (float* pp = aPacked)
            {
                var job = new Job(pa, pb, pc, transA, transB, m, n, k, lda, ldb, ldc, accumulate, mc, nc, kc, tilesN, kernel) { Conv = conv };
                if (prePack)
                {
                    job.PackedA = Align(pp);
                    job.PackedARows = mPad;
                    EngineThreads.For(kcSlices * tilesM, job.PrePackA);
                }

                EngineThreads.For(tilesM * tilesN, job.RunTile);
            }
        }
        finally
        {
            if (aPacked is not null)
            {
                PackPool.Return(aPacked);
            }
        }
    }

    private static unsafe float* Align(float* p) => (float*)(((nuint)p + ((AlignFloats * sizeof(float)) - 1)) & ~(nuint)((AlignFloats * sizeof(float)) - 1));

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
        private readonly int _mc;
        private readonly int _nc;
        private readonly int _kc;
        private readonly int _tilesN;
        private readonly MicroKernel _kernel;

        public Job(float* a, float* b, float* c, bool transA, bool transB, int m, int n, int k, int lda, int ldb, int ldc, bool accumulate, int mc, int nc, int kc, int tilesN, MicroKernel kernel)
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
            _mc = mc;
            _nc = nc;
            _kc = kc;
            _tilesN = tilesN;
            _kernel = kernel;
        }

        /// <summary>The geometry when B is the im2col matrix of the image at b (implicit GEMM); Rows == 0 when B is stored.</summary>
        public ConvColumns Conv { get; init; }

        /// <summary>Shared packed A (all K slices, all rows) or null when each tile packs its own block.</summary>
        public float* PackedA { get; set; }

        /// <summary>Rows of <see cref="PackedA"/>: M rounded up to whole slivers.</summary>
        public int PackedARows { get; set; }

        public void PrePackA(int task)
        {
            var tilesM = (_m + _mc - 1) / _mc;
            var p0 = task / tilesM * _kc;
            var i0 = task % tilesM * _mc;
            var kc = Math.Min(_kc, _k - p0);
            PackA(PackedA + ((long)PackedARows * p0) + ((long)i0 * kc), i0, p0, Math.Min(_mc, _m - i0), kc, _kernel.MR);
        }

        public void RunTile(int tile)
        {
            var nr = _kernel.NR;
            var mr = _kernel.MR;
            var i0 = tile / _tilesN * _mc;
            var j0 = tile % _tilesN * _nc;
            var mc = Math.Min(_mc, _m - i0);
            var ncur = Math.Min(_nc, _n - j0);
            var mPanels = (mc + mr - 1) / mr;
            var nPanels = (ncur + nr - 1) / nr;
            var aBuf = PackPool.Rent(PackedA != null ? 0 : (mPanels * mr * _kc) + AlignFloats);
            var bBuf = PackPool.Rent((nPanels * ((nr * _kc) + SliverSkew)) + AlignFloats);
            var edge = stackalloc float[MaxMR * 32];
            float* segment = null;
            if (Conv.Rows > 0 && _transB)
            {
                // Stack memory lives until the method returns, not just this block.
                var buffer = stackalloc float[SegmentLength];
                segment = buffer;
            }
            try
            {
                fixed (float* apRaw = aBuf)
                fixed (float* bpRaw = bBuf)
                {
                    var ap = Align(apRaw);
                    var bp = Align(bpRaw);
                    for (var p0 = 0; p0 < _k; p0 += _kc)
                    {
                        var kc = Math.Min(_kc, _k - p0);
                        var load = _accumulate || p0 > 0;
                        var aBlock = ap;
                        if (PackedA != null)
                        {
                            aBlock = PackedA + ((long)PackedARows * p0) + ((long)i0 * kc);
                        }
                        else
                        {
                            PackA(ap, i0, p0, mc, kc, mr);
                        }

                        PackB(bp, p0, j0, kc, ncur, nr, segment);
                        for (var jp = 0; jp < nPanels; jp++)
                        {
                            var j = jp * nr;
                            var cols = Math.Min(nr, ncur - j);
                            var bPanel = bp + (jp * ((nr * kc) + SliverSkew));
                            for (var ip = 0; ip < mPanels; ip++)
                            {
                                var i = ip * mr;
                                var rows = Math.Min(mr, mc - i);
                                var aPanel = aBlock + (ip * mr * kc);
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
            var rowPtrs = stackalloc float*[MaxMR];
            for (var i = 0; i < mc; i += mr)
            {
                var rows = Math.Min(mr, mc - i);
                var d = dst + (i * kc);
                if (!_transA)
                {
                    if (rows == mr)
                    {
                        // p outer, rows inner: each packed line is written once, whole, from mr streaming row reads.
                        for (var r = 0; r < mr; r++)
                        {
                            rowPtrs[r] = _a + ((long)(i0 + i + r) * _lda) + p0;
                        }

                        for (var p = 0; p < kc; p++)
                        {
                            var dp = d + (p * mr);
                            for (var r = 0; r < mr; r++)
                            {
                                dp[r] = rowPtrs[r][p];
                            }
                        }

                        continue;
                    }

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

        // B slice [p0, p0+kc) x [j0, j0+ncur) into NR-column slivers: for each p, NR consecutive columns; sliver s at
        // dst + s * (kc * nr + SliverSkew).
        private void PackB(float* dst, int p0, int j0, int kc, int ncur, int nr, float* segment)
        {
            var sliver = (nr * kc) + SliverSkew;
            var conv = Conv;
            var implicitB = conv.Rows > 0;
            if (implicitB && !_transB)
            {
                // Row p0 + p of the virtual im2col matrix, columns [j0, j0 + ncur), written straight into the slivers
                // (chunks of nr columns, a sliver apart): a few output rows of one input plane, which stays in cache
                // while its kh*kw rows are packed. Columns past ncur in the last sliver are zero, as below.
                var cols = ncur % nr;
                var tail = dst + ((ncur / nr) * sliver) + cols;
                for (var p = 0; p < kc; p++)
                {
                    conv.CopyRow(_b, p0 + p, j0, ncur, dst + (p * nr), nr, sliver);
                    for (var q = cols; cols > 0 && q < nr; q++)
                    {
                        tail[(p * nr) + q - cols] = 0f;
                    }
                }

                return;
            }

            if (!_transB)
            {
                // p outer: one contiguous read of B's row segment per p, scattered into the slivers. A sliver-outer
                // order would read 128 bytes from each of kc rows a whole row stride apart: for the power-of-two
                // strides of im2col matrices those rows share a handful of cache sets and evict each other.
                var full = ncur / nr;
                var w = Vector<float>.Count;
                for (var p = 0; p < kc; p++)
                {
                    var src = _b + ((long)(p0 + p) * _ldb) + j0;
                    if (PrefetchSupported && p + PrefetchRows < kc)
                    {
                        // Each row segment is a new short stream the hardware prefetcher has to discover again; ask
                        // for the one a few rows ahead while this one is copied.
                        var ahead = src + ((long)PrefetchRows * _ldb);
                        for (var q = 0; q < ncur; q += 16)
                        {
                            Sse.Prefetch0(ahead + q);
                        }
                    }

                    var dp = dst + (p * nr);
                    if (nr == 32 && Vector512.IsHardwareAccelerated)
                    {
                        // The AVX-512 kernel's 32-column sliver: two 64-byte moves per row of each sliver.
                        for (var s = 0; s < full; s++)
                        {
                            var from = src + (s * 32);
                            var to = dp + (s * sliver);
                            Vector512.Store(Vector512.Load(from), to);
                            Vector512.Store(Vector512.Load(from + 16), to + 16);
                        }
                    }
                    else
                    {
                        for (var s = 0; s < full; s++)
                        {
                            var from = src + (s * nr);
                            var to = dp + (s * sliver);
                            for (var q = 0; q < nr; q += w)
                            {
                                Vector.Store(Vector.Load(from + q), to + q);
                            }
                        }
                    }

                    if (full * nr < ncur)
                    {
                        var cols = ncur - (full * nr);
                        var from = src + (full * nr);
                        var to = dp + (full * sliver);
                        for (var q = 0; q < nr; q++)
                        {
                            to[q] = q < cols ? from[q] : 0f;
                        }
                    }
                }

                return;
            }

            // op(B)[p][q] = B[q][p]: sliver column q is B's row j0 + j + q over [p0, p0 + kc); for an implicit B, a
            // stretch of output positions of one virtual im2col row, generated contiguously into segment (L1) first.
            var rows = stackalloc float*[TransposeBlock];
            for (var j = 0; j < ncur; j += nr)
            {
                var cols = Math.Min(nr, ncur - j);
                var d = dst + (j / nr * sliver);
                var q = 0;
                if (Avx.IsSupported)
                {
                    // Eight sliver columns at a time, 8 x 8 register transposes: whole 32-byte stores into each packed
                    // line instead of one scalar store per element a sliver row apart.
                    for (; q + TransposeBlock <= cols; q += TransposeBlock)
                    {
                        for (var r = 0; r < TransposeBlock; r++)
                        {
                            rows[r] = SourceRow(j0 + j + q + r, p0, kc, segment + (r * KCMax), implicitB);
                        }

                        var p = 0;
                        for (; p + TransposeBlock <= kc; p += TransposeBlock)
                        {
                            Transpose8x8(rows, p, d + (p * nr) + q, nr);
                        }

                        for (; p < kc; p++)
                        {
                            for (var r = 0; r < TransposeBlock; r++)
                            {
                                d[(p * nr) + q + r] = rows[r][p];
                            }
                        }
                    }
                }

                for (; q < nr; q++)
                {
                    if (q < cols)
                    {
                        var src = SourceRow(j0 + j + q, p0, kc, segment, implicitB);
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

        // Row j of B from column p0 on (kc values): in place when stored, generated into buffer when implicit.
        private float* SourceRow(int j, int p0, int kc, float* buffer, bool implicitB)
        {
            if (!implicitB)
            {
                return _b + ((long)j * _ldb) + p0;
            }

            Conv.CopyRow(_b, j, p0, kc, buffer, int.MaxValue, 0);
            return buffer;
        }

        // Columns p .. p+7 of the eight rows become eight 8-float lines at to, to + ld, ..., to + 7 * ld.
        private static void Transpose8x8(float** rows, int p, float* to, int ld)
        {
            var r0 = Avx.LoadVector256(rows[0] + p);
            var r1 = Avx.LoadVector256(rows[1] + p);
            var r2 = Avx.LoadVector256(rows[2] + p);
            var r3 = Avx.LoadVector256(rows[3] + p);
            var r4 = Avx.LoadVector256(rows[4] + p);
            var r5 = Avx.LoadVector256(rows[5] + p);
            var r6 = Avx.LoadVector256(rows[6] + p);
            var r7 = Avx.LoadVector256(rows[7] + p);

            // Pairs interleaved, then quads, then the 128-bit halves exchanged.
            var t0 = Avx.UnpackLow(r0, r1);
            var t1 = Avx.UnpackHigh(r0, r1);
            var t2 = Avx.UnpackLow(r2, r3);
            var t3 = Avx.UnpackHigh(r2, r3);
            var t4 = Avx.UnpackLow(r4, r5);
            var t5 = Avx.UnpackHigh(r4, r5);
            var t6 = Avx.UnpackLow(r6, r7);
            var t7 = Avx.UnpackHigh(r6, r7);
            var u0 = Avx.Shuffle(t0, t2, 0x44);
            var u1 = Avx.Shuffle(t0, t2, 0xEE);
            var u2 = Avx.Shuffle(t1, t3, 0x44);
            var u3 = Avx.Shuffle(t1, t3, 0xEE);
            var u4 = Avx.Shuffle(t4, t6, 0x44);
            var u5 = Avx.Shuffle(t4, t6, 0xEE);
            var u6 = Avx.Shuffle(t5, t7, 0x44);
            var u7 = Avx.Shuffle(t5, t7, 0xEE);
            Avx.Store(to, Avx.Permute2x128(u0, u4, 0x20));
            Avx.Store(to + ld, Avx.Permute2x128(u1, u5, 0x20));
            Avx.Store(to + (2 * ld), Avx.Permute2x128(u2, u6, 0x20));
            Avx.Store(to + (3 * ld), Avx.Permute2x128(u3, u7, 0x20));
            Avx.Store(to + (4 * ld), Avx.Permute2x128(u0, u4, 0x31));
            Avx.Store(to + (5 * ld), Avx.Permute2x128(u1, u5, 0x31));
            Avx.Store(to + (6 * ld), Avx.Permute2x128(u2, u6, 0x31));
            Avx.Store(to + (7 * ld), Avx.Permute2x128(u3, u7, 0x31));
        }
    }
}
