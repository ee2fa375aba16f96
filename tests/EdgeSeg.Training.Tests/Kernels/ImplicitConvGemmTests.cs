using EdgeSeg.Training.Functional;
using EdgeSeg.Training.Kernels;
using EdgeSeg.Training.Tensors;

namespace EdgeSeg.Training.Tests.Kernels;

/// <summary>
/// The implicit-GEMM convolution (B packed straight from the image through <see cref="ConvColumns"/>) against the
/// explicit im2col matrix and GEMM it replaces: the same floats, so exactly the same results, for every kernel and
/// thread count.
/// </summary>
[Collection(nameof(EngineStateGroup))]
public class ImplicitConvGemmTests
{
    public static TheoryData<int, int, int, int, int, int, int, int> Geometries => new()
    {
        // c, h, w, kh, kw, stride, pad, dil
        { 1, 1, 1, 1, 1, 1, 0, 1 },     // 1x1 image, 1x1 kernel
        { 1, 1, 1, 3, 3, 1, 1, 1 },     // 1x1 image, all but the centre tap in the padding
        { 3, 1, 1, 3, 3, 1, 2, 1 },     // 1x1 image, padding wider than the image
        { 3, 7, 5, 3, 3, 2, 1, 1 },     // stride 2, odd sizes
        { 3, 9, 11, 3, 3, 1, 2, 2 },    // dilation 2, padding 2
        { 17, 6, 13, 3, 3, 1, 0, 1 },   // 17 channels, no padding
        { 2, 35, 33, 3, 3, 2, 2, 2 },   // stride 2, dilation 2, padding 2
        { 5, 8, 9, 2, 3, 2, 0, 1 },     // non-square kernel, stride 2
        { 47, 9, 11, 3, 3, 1, 1, 1 },   // K = 423: two K slices in the forward product
        { 3, 37, 41, 3, 3, 1, 1, 1 },   // 1517 output positions: column tiles (forward) and K slices (weight gradient) cut mid-row
    };

    [Theory]
    [MemberData(nameof(Geometries))]
    public unsafe void CopyRow_AnySegmentAndChunking_MatchesNaiveIm2Col(int c, int h, int w, int kh, int kw, int stride, int pad, int dil)
    {
        var columns = new ConvColumns(c, h, w, kh, kw, stride, pad, dil);
        var ho = Im2Col.OutSize(h, kh, stride, pad, dil);
        var wo = Im2Col.OutSize(w, kw, stride, pad, dil);
        Assert.Equal(c * kh * kw, columns.Rows);
        Assert.Equal(ho * wo, columns.Columns);
        var rng = new Random(c + h + w);
        var image = Enumerable.Range(0, c * h * w).Select(_ => rng.NextSingle() + 0.5f).ToArray();

        // x[ch, oy*stride - pad + ki*dil, ox*stride - pad + kj*dil], 0 in the padding.
        float Naive(int row, int col)
        {
            int kj = row % kw, ki = row / kw % kh, ch = row / (kw * kh), oy = col / wo, ox = col % wo;
            int iy = (oy * stride) - pad + (ki * dil), ix = (ox * stride) - pad + (kj * dil);
            return iy >= 0 && iy < h && ix >= 0 && ix < w ? image[(((ch * h) + iy) * w) + ix] : 0f;
        }

        const float Sentinel = -7f;
        foreach (var chunk in new[] { 1, 3, 16, 32, int.MaxValue })
        {
            for (var trial = 0; trial < 20; trial++)
            {
                var row = rng.Next(columns.Rows);
                var start = rng.Next(columns.Columns);
                var count = rng.Next(columns.Columns - start + 1);
                var stride2 = chunk == int.MaxValue ? 0 : chunk + 5;
                var chunks = chunk == int.MaxValue ? 1 : (count + chunk - 1) / chunk;
                var dst = Enumerable.Repeat(Sentinel, Math.Max(1, chunks * (chunk == int.MaxValue ? count : stride2))).ToArray();
                fixed (float* pi = image)
                fixed (float* pd = dst)
                {
                    columns.CopyRow(pi, row, start, count, pd, chunk, stride2);
                }

                var expected = Enumerable.Repeat(Sentinel, dst.Length).ToArray();
                for (var t = 0; t < count; t++)
                {
                    var at = chunk == int.MaxValue ? t : (t / chunk * stride2) + (t % chunk);
                    expected[at] = Naive(row, start + t);
                }

                Assert.Equal(expected, dst);
            }
        }

        // The span form and Im2Col.Forward: whole rows, contiguous.
        var col = new float[columns.Rows * columns.Columns];
        Im2Col.Forward(image, 0, c, h, w, kh, kw, stride, pad, dil, col);
        var segment = new float[columns.Columns];
        for (var row = 0; row < columns.Rows; row++)
        {
            columns.CopyRow(image, row, 0, segment);
            for (var j = 0; j < columns.Columns; j++)
            {
                Assert.Equal(Naive(row, j), col[(row * columns.Columns) + j]);
                Assert.Equal(Naive(row, j), segment[j]);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Geometries))]
    public void Multiply_ImplicitForward_BitIdenticalToExplicitIm2Col(int c, int h, int w, int kh, int kw, int stride, int pad, int dil)
    {
        var columns = new ConvColumns(c, h, w, kh, kw, stride, pad, dil);
        int o = 7, k = columns.Rows, n = columns.Columns;
        var rng = new Random(k + n);
        var image = RandomValues(rng, columns.ImageLength);
        var weight = RandomValues(rng, o * k);
        var c0 = RandomValues(rng, o * n);
        var col = new float[k * n];
        Im2Col.Forward(image, 0, c, h, w, kh, kw, stride, pad, dil, col);
        ForEachKernelAndThreads((kernel, threads) =>
        {
            foreach (var accumulate in new[] { false, true })
            {
                var expected = (float[])c0.Clone();
                var actual = (float[])c0.Clone();
                Sgemm.Multiply(false, false, o, n, k, weight, k, col, n, expected, n, accumulate);
                Sgemm.Multiply(false, false, o, n, k, weight, k, image, columns, actual, n, accumulate);
                Assert.True(expected.SequenceEqual(actual), $"{kernel}, {threads} threads, accumulate {accumulate}: implicit differs from explicit");
            }
        });
    }

    [Theory]
    [MemberData(nameof(Geometries))]
    public void Multiply_ImplicitWeightGradient_BitIdenticalToExplicitIm2Col(int c, int h, int w, int kh, int kw, int stride, int pad, int dil)
    {
        // dW[o, ck] (+)= dY[o, plane] * cols[ck, plane]^T: the virtual matrix is B with transB, K = output positions.
        var columns = new ConvColumns(c, h, w, kh, kw, stride, pad, dil);
        int o = 5, n = columns.Rows, k = columns.Columns;
        var rng = new Random(k + (3 * n));
        var image = RandomValues(rng, columns.ImageLength);
        var gradOut = RandomValues(rng, o * k);
        var c0 = RandomValues(rng, o * n);
        var col = new float[n * k];
        Im2Col.Forward(image, 0, c, h, w, kh, kw, stride, pad, dil, col);
        ForEachKernelAndThreads((kernel, threads) =>
        {
            foreach (var accumulate in new[] { false, true })
            {
                var expected = (float[])c0.Clone();
                var actual = (float[])c0.Clone();
                Sgemm.Multiply(false, true, o, n, k, gradOut, k, col, k, expected, n, accumulate);
                Sgemm.Multiply(false, true, o, n, k, gradOut, k, image, columns, actual, n, accumulate);
                Assert.True(expected.SequenceEqual(actual), $"{kernel}, {threads} threads, accumulate {accumulate}: implicit differs from explicit");
            }
        });
    }

    [Theory]
    [InlineData(2, 3, 7, 9, 17, 3, 1, 1, 1)]
    [InlineData(1, 17, 6, 5, 4, 3, 2, 2, 2)]
    [InlineData(2, 45, 5, 4, 3, 3, 1, 1, 1)]
    [InlineData(1, 1, 1, 1, 3, 3, 1, 1, 1)]
    public void Conv2d_ForwardAndWeightGradient_BitIdenticalToExplicitIm2ColGemmAnyThreadCount(int n, int c, int h, int w, int o, int k, int stride, int pad, int dil)
    {
        var rng = new Random(n + c + h + w + o);
        var x = new Tensor(RandomValues(rng, n * c * h * w), n, c, h, w) { RequiresGrad = true };
        var weight = new Tensor(RandomValues(rng, o * c * k * k), o, c, k, k) { RequiresGrad = true };
        var bias = new Tensor(RandomValues(rng, o), o) { RequiresGrad = true };
        var ho = Im2Col.OutSize(h, k, stride, pad, dil);
        var wo = Im2Col.OutSize(w, k, stride, pad, dil);
        int ck = c * k * k, plane = ho * wo;
        var gradOut = new Tensor(RandomValues(rng, n * o * plane), n, o, ho, wo);

        // What Conv2d computed before the implicit GEMM: im2col per image, then the explicit products.
        var expectedY = new float[n * o * plane];
        var expectedGw = new float[o * ck];
        var col = new float[ck * plane];
        for (var i = 0; i < n; i++)
        {
            Im2Col.Forward(x.Data.ToArray(), i * c * h * w, c, h, w, k, k, stride, pad, dil, col);
            var yi = expectedY.AsSpan(i * o * plane, o * plane);
            for (var oc = 0; oc < o; oc++)
            {
                yi.Slice(oc * plane, plane).Fill(bias.Data[oc]);
            }

            Sgemm.Multiply(false, false, o, plane, ck, weight.Data, ck, col, plane, yi, plane, accumulate: true);
            Sgemm.Multiply(false, true, o, ck, plane, gradOut.Data.Slice(i * o * plane, o * plane), plane, col, plane, expectedGw, ck, accumulate: true);
        }

        var saved = EngineThreads.Count;
        try
        {
            foreach (var threads in new[] { 1, 2 })
            {
                EngineThreads.Count = threads;
                x.ZeroGrad(setToNull: true);
                weight.ZeroGrad(setToNull: true);
                bias.ZeroGrad(setToNull: true);
                var y = Ops.Conv2d(x, weight, bias, stride, pad, dil);
                Assert.True(expectedY.SequenceEqual(y.Data.ToArray()), $"{threads} threads: forward differs");
                y.Backward(gradOut);
                Assert.True(expectedGw.SequenceEqual(weight.Grad!.Data.ToArray()), $"{threads} threads: weight gradient differs");
            }
        }
        finally
        {
            EngineThreads.Count = saved;
        }
    }

    private static float[] RandomValues(Random rng, int length) => Enumerable.Range(0, length).Select(_ => rng.NextSingle() - 0.5f).ToArray();

    private static void ForEachKernelAndThreads(Action<string, int> check)
    {
        var kernel = Sgemm.Kernel;
        var threads = EngineThreads.Count;
        try
        {
            foreach (var candidate in MicroKernel.Available())
            {
                Sgemm.Kernel = candidate;
                foreach (var t in new[] { 1, 2 })
                {
                    EngineThreads.Count = t;
                    check(candidate.Name, t);
                }
            }
        }
        finally
        {
            Sgemm.Kernel = kernel;
            EngineThreads.Count = threads;
        }
    }
}
