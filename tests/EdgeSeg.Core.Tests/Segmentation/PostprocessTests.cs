using EdgeSeg.Core.Segmentation;

namespace EdgeSeg.Core.Tests.Segmentation;

/// <summary>Post-processing against a naive double-precision upsample and arg-max, at awkward sizes, SIMD and scalar.</summary>
public sealed class PostprocessTests
{
    private static readonly byte[] Identity = [.. Enumerable.Range(0, 256).Select(i => (byte)(i % 5))];

    public static TheoryData<int, int, int, int, int, int> Cases => new()
    {
        // classes, output h, output w, frame w, frame h, letterbox (0/1)
        { 1, 1, 1, 1, 1, 0 },
        { 2, 3, 5, 7, 9, 0 },
        { 5, 90, 160, 1280, 720, 0 },
        { 3, 17, 13, 513, 67, 1 },
        { 4, 8, 8, 17, 33, 1 },
        { 7, 2, 1, 9, 3, 0 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void ScoresBilinear_MatchesNaiveDouble(int classes, int oh, int ow, int fw, int fh, int letterbox)
    {
        var (plan, g) = Plan(classes, oh, ow, fw, fh, letterbox == 1);
        var scores = Scores(classes, oh, ow, 3);
        var mask = new byte[fw * fh];
        var confidence = new float[fw * fh];

        Postprocess.ScoresBilinear(scores, plan, mask, confidence, probabilities: false);

        var checkedPixels = 0;
        for (var y = 0; y < fh; y++)
        {
            var oy = Math.Clamp(((g.ContentY + ((y + 0.5) * g.ContentHeight / fh)) * oh / g.TensorHeight) - 0.5, 0, oh - 1);
            for (var x = 0; x < fw; x++)
            {
                var ox = Math.Clamp(((g.ContentX + ((x + 0.5) * g.ContentWidth / fw)) * ow / g.TensorWidth) - 0.5, 0, ow - 1);
                var v = Enumerable.Range(0, classes).Select(c => Bilinear(scores, c, oh, ow, ox, oy)).ToArray();
                var best = Array.IndexOf(v, v.Max());
                var runnerUp = v.Where((_, c) => c != best).DefaultIfEmpty(double.NegativeInfinity).Max();
                if (v[best] - runnerUp < 1e-4)
                {
                    continue;
                }

                checkedPixels++;
                var i = (y * fw) + x;
                Assert.Equal((byte)(best % 5), mask[i]);
                var softmax = 1.0 / v.Sum(s => Math.Exp(s - v[best]));
                Assert.True(Math.Abs(confidence[i] - softmax) < 1e-5, $"({x},{y}) confidence {confidence[i]} vs {softmax}");
            }
        }

        Assert.True(checkedPixels > fw * fh * 9 / 10);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void ScoresBilinear_SimdAndScalar_SameClasses(int classes, int oh, int ow, int fw, int fh, int letterbox)
    {
        var (plan, _) = Plan(classes, oh, ow, fw, fh, letterbox == 1);
        var scores = Scores(classes, oh, ow, 4);
        var simdMask = new byte[fw * fh];
        var scalarMask = new byte[fw * fh];
        var simdConf = new float[fw * fh];
        var scalarConf = new float[fw * fh];

        Postprocess.ScoresBilinear(scores, plan, simdMask, simdConf, false, allowSimd: true);
        Postprocess.ScoresBilinear(scores, plan, scalarMask, scalarConf, false, allowSimd: false);

        Assert.Equal(scalarMask, simdMask);
        for (var i = 0; i < simdConf.Length; i++)
        {
            // Vector and scalar exp may differ in the last bit.
            Assert.True(Math.Abs(simdConf[i] - scalarConf[i]) < 1e-6, $"{i}: {simdConf[i]} vs {scalarConf[i]}");
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void ScoresFast_MatchesNaiveNearestOfLowResArgMax(int classes, int oh, int ow, int fw, int fh, int letterbox)
    {
        var (plan, g) = Plan(classes, oh, ow, fw, fh, letterbox == 1);
        var scores = Scores(classes, oh, ow, 5);
        var mask = new byte[fw * fh];

        Postprocess.ScoresFast(scores, plan, mask, [], probabilities: false);

        for (var y = 0; y < fh; y++)
        {
            var oy = Math.Clamp(((g.ContentY + ((y + 0.5) * g.ContentHeight / fh)) * oh / g.TensorHeight) - 0.5, 0, oh - 1);
            var ny = Math.Min((int)Math.Floor(oy + 0.5), oh - 1);
            for (var x = 0; x < fw; x++)
            {
                var ox = Math.Clamp(((g.ContentX + ((x + 0.5) * g.ContentWidth / fw)) * ow / g.TensorWidth) - 0.5, 0, ow - 1);
                var nx = Math.Min((int)Math.Floor(ox + 0.5), ow - 1);
                var v = Enumerable.Range(0, classes).Select(c => scores[(((c * oh) + ny) * ow) + nx]).ToArray();
                Assert.Equal((byte)(Array.IndexOf(v, v.Max()) % 5), mask[(y * fw) + x]);
            }
        }
    }

    [Fact]
    public void Labels_OutOfRangeValues_BecomeBackgroundAndConfidenceIsOne()
    {
        var (plan, _) = Plan(3, 1, 4, 4, 1, false);
        long[] labels = [2, -1, 7, 1];
        var mask = new byte[4];
        var confidence = new float[4];

        Postprocess.Labels<long>(labels, plan, mask, confidence);

        Assert.Equal([2, 0, 0, 1], mask);
        Assert.Equal([1f, 1f, 1f, 1f], confidence);
    }

    [Fact]
    public void Combine_HigherRankWins_BackgroundNeverOverrides()
    {
        var rank = new byte[256];
        rank[1] = 3; // road
        rank[4] = 5; // lane_marking
        byte[] mask = [1, 1, 0, 4, 0];
        float[] confidence = [0.9f, 0.9f, 0.5f, 0.8f, 0.7f];
        byte[] other = [4, 0, 1, 1, 0];
        float[] otherConfidence = [0.6f, 0.99f, 0.7f, 0.9f, 0.9f];

        Postprocess.Combine(mask, confidence, other, otherConfidence, rank);

        Assert.Equal([4, 1, 1, 4, 0], mask);
        Assert.Equal([0.6f, 0.9f, 0.7f, 0.8f, 0.7f], confidence);
    }

    private static (PostprocessPlan Plan, InputGeometry Geometry) Plan(int classes, int oh, int ow, int fw, int fh, bool letterbox)
    {
        // The tensor is 4x the output (a 1/4-resolution head); letterboxing pads it where the frame's aspect differs.
        var input = new ModelCardInput { Name = "x", Width = ow * 4, Height = oh * 4, Resize = letterbox ? ResizePolicy.Letterbox : ResizePolicy.Stretch };
        var g = InputGeometry.For(input, fw, fh);
        return (new PostprocessPlan(g, classes, oh, ow, Identity), g);
    }

    private static float[] Scores(int classes, int oh, int ow, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, classes * oh * ow).Select(_ => (float)((random.NextDouble() * 8) - 4))];
    }

    private static double Bilinear(float[] s, int c, int oh, int ow, double x, double y)
    {
        int x0 = (int)x, y0 = (int)y, x1 = Math.Min(x0 + 1, ow - 1), y1 = Math.Min(y0 + 1, oh - 1);
        double ax = x - x0, ay = y - y0;
        double At(int xx, int yy) => s[(((c * oh) + yy) * ow) + xx];
        return ((1 - ay) * (((1 - ax) * At(x0, y0)) + (ax * At(x1, y0)))) + (ay * (((1 - ax) * At(x0, y1)) + (ax * At(x1, y1))));
    }
}
