using EdgeSeg.Core.Segmentation;

namespace EdgeSeg.Core.Tests.Segmentation;

/// <summary>Pre-processing against a naive double-precision resize and normalisation, at awkward sizes, SIMD and scalar.</summary>
public sealed class PreprocessTests
{
    public static TheoryData<int, int, int, int, ResizePolicy, ColorOrder> Sizes => new()
    {
        { 1, 1, 1, 1, ResizePolicy.Stretch, ColorOrder.Rgb },
        { 7, 5, 3, 2, ResizePolicy.Stretch, ColorOrder.Bgr },
        { 17, 13, 40, 30, ResizePolicy.Stretch, ColorOrder.Rgb },
        { 513, 3, 64, 8, ResizePolicy.Stretch, ColorOrder.Rgb },
        { 33, 65, 17, 17, ResizePolicy.Letterbox, ColorOrder.Bgr },
        { 128, 40, 31, 31, ResizePolicy.Letterbox, ColorOrder.Rgb },
        { 1280, 720, 640, 360, ResizePolicy.Stretch, ColorOrder.Rgb },
    };

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Run_FixedInput_MatchesNaiveDouble(int fw, int fh, int tw, int th, ResizePolicy resize, ColorOrder order)
    {
        var input = new ModelCardInput
        {
            Name = "x", Width = tw, Height = th, Resize = resize, ColorOrder = order,
            Mean = [0.485f, 0.456f, 0.406f], Std = [0.229f, 0.224f, 0.225f], PadValue = 114,
        };
        AssertMatchesNaive(input, fw, fh);
    }

    [Theory]
    [InlineData(1, 1, 8)]
    [InlineData(17, 9, 16)]
    [InlineData(100, 37, 32)]
    public void Run_DynamicInput_PadsAndMatchesNaiveDouble(int fw, int fh, int multiple)
    {
        AssertMatchesNaive(new ModelCardInput { Name = "x", MultipleOf = multiple, ColorOrder = ColorOrder.Bgr, Mean = [0.5f, 0.25f, 0f], Std = [0.5f, 1f, 2f] }, fw, fh);
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Run_SimdAndScalar_BitIdentical(int fw, int fh, int tw, int th, ResizePolicy resize, ColorOrder order)
    {
        var input = new ModelCardInput { Name = "x", Width = tw, Height = th, Resize = resize, ColorOrder = order, Mean = [0.1f, 0.2f, 0.3f], Std = [0.3f, 0.2f, 0.1f] };
        var plan = new PreprocessPlan(input, InputGeometry.For(input, fw, fh));
        var frame = Frame(fw, fh, 5);
        var simd = new float[plan.TensorLength];
        var scalar = new float[plan.TensorLength];

        Preprocess.Run(frame, simd, plan, allowSimd: true);
        Preprocess.Run(frame, scalar, plan, allowSimd: false);

        Assert.Equal(scalar, simd);
    }

    [Fact]
    public void Run_WrongTensorLength_ThrowsNamingBothLengths()
    {
        var input = new ModelCardInput { Name = "x", Width = 4, Height = 4 };
        var plan = new PreprocessPlan(input, InputGeometry.For(input, 8, 8));

        var ex = Assert.Throws<ArgumentException>(() => Preprocess.Run(new byte[8 * 8 * 3], new float[47], plan));

        Assert.StartsWith("The tensor needs 48 floats; got 47.", ex.Message, StringComparison.Ordinal);
    }

    private static void AssertMatchesNaive(ModelCardInput input, int fw, int fh)
    {
        var g = InputGeometry.For(input, fw, fh);
        var plan = new PreprocessPlan(input, g);
        var frame = Frame(fw, fh, fw + fh);
        var tensor = new float[plan.TensorLength];

        Preprocess.Run(frame, tensor, plan);

        for (var c = 0; c < 3; c++)
        {
            var src = input.ColorOrder == ColorOrder.Bgr ? c : 2 - c;
            for (var ty = 0; ty < g.TensorHeight; ty++)
            {
                for (var tx = 0; tx < g.TensorWidth; tx++)
                {
                    double p = input.PadValue;
                    if (tx >= g.ContentX && tx < g.ContentX + g.ContentWidth && ty >= g.ContentY && ty < g.ContentY + g.ContentHeight)
                    {
                        var sx = Math.Clamp(((tx - g.ContentX + 0.5) * fw / g.ContentWidth) - 0.5, 0, fw - 1);
                        var sy = Math.Clamp(((ty - g.ContentY + 0.5) * fh / g.ContentHeight) - 0.5, 0, fh - 1);
                        int x0 = (int)sx, y0 = (int)sy, x1 = Math.Min(x0 + 1, fw - 1), y1 = Math.Min(y0 + 1, fh - 1);
                        double ax = sx - x0, ay = sy - y0;
                        double At(int x, int y) => frame[(((y * fw) + x) * 3) + src];
                        p = ((1 - ay) * (((1 - ax) * At(x0, y0)) + (ax * At(x1, y0)))) + (ay * (((1 - ax) * At(x0, y1)) + (ax * At(x1, y1))));
                    }

                    var expected = ((p / 255.0) - input.Mean[c]) / input.Std[c];
                    var actual = tensor[(((c * g.TensorHeight) + ty) * g.TensorWidth) + tx];
                    Assert.True(Math.Abs(actual - expected) < 1e-4, $"c={c} ({tx},{ty}): {actual} vs {expected}");
                }
            }
        }
    }

    private static byte[] Frame(int w, int h, int seed)
    {
        var data = new byte[w * h * 3];
        new Random(seed).NextBytes(data);
        return data;
    }
}
