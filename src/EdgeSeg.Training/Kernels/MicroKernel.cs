using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace EdgeSeg.Training.Kernels;

/// <summary>
/// The GEMM inner kernel: C[MR x NR] (+)= A sliver (kc x MR) * B sliver (kc x NR), accumulators held in registers.
/// Each C element is one FMA chain over p in order, so all variants with FMA give identical bits.
/// </summary>
internal abstract unsafe class MicroKernel
{
    public abstract string Name { get; }

    public abstract int NR { get; }

    public abstract int MR { get; }

    public abstract void Run(int kc, float* a, float* b, float* c, int ldc, bool load);

    public static MicroKernel Best()
    {
        if (Avx512F.IsSupported)
        {
            return new Avx512Kernel();
        }

        if (Fma.IsSupported && Avx.IsSupported)
        {
            return new Avx2Kernel();
        }

        return new VectorKernel();
    }

    /// <summary>Every kernel this machine can run (tests compare them).</summary>
    public static IReadOnlyList<MicroKernel> Available()
    {
        var list = new List<MicroKernel>();
        if (Avx512F.IsSupported)
        {
            list.Add(new Avx512Kernel());
        }

        if (Fma.IsSupported && Avx.IsSupported)
        {
            list.Add(new Avx2Kernel());
        }

        list.Add(new VectorKernel());
        return list;
    }

    private sealed class Avx512Kernel : MicroKernel
    {
        public override string Name => "avx512";

        public override int NR => 32;

        public override int MR => 8;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public override void Run(int kc, float* a, float* b, float* c, int ldc, bool load)
        {
            Vector512<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
            Vector512<float> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
            Vector512<float> c60 = default, c61 = default, c70 = default, c71 = default;

            // The C block is only touched after the k loop: start fetching its 16 lines now so the final
            // load-add-store does not stall on memory (C rows are a full row stride apart, beyond any prefetcher).
            for (var r = 0; r < 8; r++)
            {
                Sse.Prefetch0(c + ((long)r * ldc));
                Sse.Prefetch0(c + ((long)r * ldc) + 16);
            }

            for (var p = 0; p < kc; p++)
            {
                var b0 = Avx512F.LoadVector512(b);
                var b1 = Avx512F.LoadVector512(b + 16);
                var a0 = Vector512.Create(a[0]);
                c00 = Avx512F.FusedMultiplyAdd(a0, b0, c00);
                c01 = Avx512F.FusedMultiplyAdd(a0, b1, c01);
                var a1 = Vector512.Create(a[1]);
                c10 = Avx512F.FusedMultiplyAdd(a1, b0, c10);
                c11 = Avx512F.FusedMultiplyAdd(a1, b1, c11);
                var a2 = Vector512.Create(a[2]);
                c20 = Avx512F.FusedMultiplyAdd(a2, b0, c20);
                c21 = Avx512F.FusedMultiplyAdd(a2, b1, c21);
                var a3 = Vector512.Create(a[3]);
                c30 = Avx512F.FusedMultiplyAdd(a3, b0, c30);
                c31 = Avx512F.FusedMultiplyAdd(a3, b1, c31);
                var a4 = Vector512.Create(a[4]);
                c40 = Avx512F.FusedMultiplyAdd(a4, b0, c40);
                c41 = Avx512F.FusedMultiplyAdd(a4, b1, c41);
                var a5 = Vector512.Create(a[5]);
                c50 = Avx512F.FusedMultiplyAdd(a5, b0, c50);
                c51 = Avx512F.FusedMultiplyAdd(a5, b1, c51);
                var a6 = Vector512.Create(a[6]);
                c60 = Avx512F.FusedMultiplyAdd(a6, b0, c60);
                c61 = Avx512F.FusedMultiplyAdd(a6, b1, c61);
                var a7 = Vector512.Create(a[7]);
                c70 = Avx512F.FusedMultiplyAdd(a7, b0, c70);
                c71 = Avx512F.FusedMultiplyAdd(a7, b1, c71);
                a += 8;
                b += 32;
            }

            Store(c, c00, c01, load);
            Store(c + ldc, c10, c11, load);
            Store(c + (2 * ldc), c20, c21, load);
            Store(c + (3 * ldc), c30, c31, load);
            Store(c + (4 * ldc), c40, c41, load);
            Store(c + (5 * ldc), c50, c51, load);
            Store(c + (6 * ldc), c60, c61, load);
            Store(c + (7 * ldc), c70, c71, load);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Store(float* row, Vector512<float> x0, Vector512<float> x1, bool load)
        {
            if (load)
            {
                x0 += Vector512.Load(row);
                x1 += Vector512.Load(row + 16);
            }

            x0.Store(row);
            x1.Store(row + 16);
        }
    }

    private sealed class Avx2Kernel : MicroKernel
    {
        public override string Name => "avx2";

        public override int NR => 16;

        public override int MR => 6;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public override void Run(int kc, float* a, float* b, float* c, int ldc, bool load)
        {
            Vector256<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
            Vector256<float> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;

            // As in the AVX-512 kernel: fetch the C block while the k loop runs.
            for (var r = 0; r < 6; r++)
            {
                Sse.Prefetch0(c + ((long)r * ldc));
                Sse.Prefetch0(c + ((long)r * ldc) + 8);
            }

            for (var p = 0; p < kc; p++)
            {
                var b0 = Avx.LoadVector256(b);
                var b1 = Avx.LoadVector256(b + 8);
                var a0 = Vector256.Create(a[0]);
                c00 = Fma.MultiplyAdd(a0, b0, c00);
                c01 = Fma.MultiplyAdd(a0, b1, c01);
                var a1 = Vector256.Create(a[1]);
                c10 = Fma.MultiplyAdd(a1, b0, c10);
                c11 = Fma.MultiplyAdd(a1, b1, c11);
                var a2 = Vector256.Create(a[2]);
                c20 = Fma.MultiplyAdd(a2, b0, c20);
                c21 = Fma.MultiplyAdd(a2, b1, c21);
                var a3 = Vector256.Create(a[3]);
                c30 = Fma.MultiplyAdd(a3, b0, c30);
                c31 = Fma.MultiplyAdd(a3, b1, c31);
                var a4 = Vector256.Create(a[4]);
                c40 = Fma.MultiplyAdd(a4, b0, c40);
                c41 = Fma.MultiplyAdd(a4, b1, c41);
                var a5 = Vector256.Create(a[5]);
                c50 = Fma.MultiplyAdd(a5, b0, c50);
                c51 = Fma.MultiplyAdd(a5, b1, c51);
                a += 6;
                b += 16;
            }

            Store(c, c00, c01, load);
            Store(c + ldc, c10, c11, load);
            Store(c + (2 * ldc), c20, c21, load);
            Store(c + (3 * ldc), c30, c31, load);
            Store(c + (4 * ldc), c40, c41, load);
            Store(c + (5 * ldc), c50, c51, load);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Store(float* row, Vector256<float> x0, Vector256<float> x1, bool load)
        {
            if (load)
            {
                x0 += Vector256.Load(row);
                x1 += Vector256.Load(row + 8);
            }

            x0.Store(row);
            x1.Store(row + 8);
        }
    }

    /// <summary>Portable path: Vector&lt;float&gt; wide, two vectors per row.</summary>
    private sealed class VectorKernel : MicroKernel
    {
        public override string Name => "vector";

        public override int NR => Vector<float>.Count * 2;

        public override int MR => 6;

        public override void Run(int kc, float* a, float* b, float* c, int ldc, bool load)
        {
            var w = Vector<float>.Count;
            const int MR = 6;
            var acc = stackalloc Vector<float>[MR * 2];
            for (var i = 0; i < MR * 2; i++)
            {
                acc[i] = Vector<float>.Zero;
            }

            for (var p = 0; p < kc; p++)
            {
                var b0 = Vector.Load(b);
                var b1 = Vector.Load(b + w);
                for (var r = 0; r < MR; r++)
                {
                    var ar = new Vector<float>(a[r]);
                    acc[2 * r] = Vector.FusedMultiplyAdd(ar, b0, acc[2 * r]);
                    acc[(2 * r) + 1] = Vector.FusedMultiplyAdd(ar, b1, acc[(2 * r) + 1]);
                }

                a += MR;
                b += 2 * w;
            }

            for (var r = 0; r < MR; r++)
            {
                var row = c + ((long)r * ldc);
                var x0 = acc[2 * r];
                var x1 = acc[(2 * r) + 1];
                if (load)
                {
                    x0 += Vector.Load(row);
                    x1 += Vector.Load(row + w);
                }

                x0.Store(row);
                x1.Store(row + w);
            }
        }
    }
}
