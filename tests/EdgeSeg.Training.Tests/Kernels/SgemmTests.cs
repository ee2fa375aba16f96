using EdgeSeg.Training.Kernels;

namespace EdgeSeg.Training.Tests.Kernels;

[Collection(nameof(EngineStateGroup))]
public class SgemmTests
{
    public static TheoryData<int, int, int, bool, bool, bool> Cases()
    {
        var data = new TheoryData<int, int, int, bool, bool, bool>();
        var sizes = new (int M, int N, int K)[] { (1, 1, 1), (7, 17, 3), (6, 16, 256), (13, 1, 513), (97, 33, 257), (5, 530, 19), (1, 600, 1), (17, 7, 0) };
        foreach (var (m, n, k) in sizes)
        {
            foreach (var ta in new[] { false, true })
            {
                foreach (var tb in new[] { false, true })
                {
                    data.Add(m, n, k, ta, tb, (m + n + k) % 2 == 0);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Multiply_AwkwardSizesAllKernels_MatchesNaiveDouble(int m, int n, int k, bool transA, bool transB, bool accumulate)
    {
        var rng = new Random(m * 1000 + n * 10 + k);
        var a = Enumerable.Range(0, Math.Max(1, m * k)).Select(_ => rng.NextSingle() - 0.5f).ToArray();
        var b = Enumerable.Range(0, Math.Max(1, k * n)).Select(_ => rng.NextSingle() - 0.5f).ToArray();
        var c0 = Enumerable.Range(0, m * n).Select(_ => rng.NextSingle() - 0.5f).ToArray();
        int lda = transA ? m : k, ldb = transB ? k : n;
        var expected = new double[m * n];
        for (var i = 0; i < m; i++)
        {
            for (var j = 0; j < n; j++)
            {
                var s = accumulate ? c0[(i * n) + j] : 0.0;
                for (var p = 0; p < k; p++)
                {
                    var av = transA ? a[(p * lda) + i] : a[(i * lda) + p];
                    var bv = transB ? b[(j * ldb) + p] : b[(p * ldb) + j];
                    s += (double)av * bv;
                }

                expected[(i * n) + j] = s;
            }
        }

        var original = Sgemm.Kernel;
        try
        {
            foreach (var kernel in MicroKernel.Available())
            {
                Sgemm.Kernel = kernel;
                var c = (float[])c0.Clone();
                Sgemm.Multiply(transA, transB, m, n, k, a, lda, b, ldb, c, n, accumulate);
                for (var i = 0; i < c.Length; i++)
                {
                    Assert.True(Math.Abs(c[i] - expected[i]) <= 1e-5 * (1 + Math.Sqrt(k)), $"{kernel.Name} [{i}]: {c[i]} vs {expected[i]}");
                }
            }
        }
        finally
        {
            Sgemm.Kernel = original;
        }
    }

    [Fact]
    public void Multiply_DifferentThreadCounts_BitIdentical()
    {
        var rng = new Random(1);
        const int m = 150, n = 700, k = 300;
        var a = Enumerable.Range(0, m * k).Select(_ => rng.NextSingle()).ToArray();
        var b = Enumerable.Range(0, k * n).Select(_ => rng.NextSingle()).ToArray();
        var threads = EngineThreads.Count;
        try
        {
            float[] Run(int t)
            {
                EngineThreads.Count = t;
                var c = new float[m * n];
                Sgemm.Multiply(false, false, m, n, k, a, k, b, n, c, n, false);
                return c;
            }

            Assert.Equal(Run(1), Run(3));
        }
        finally
        {
            EngineThreads.Count = threads;
        }
    }
}
