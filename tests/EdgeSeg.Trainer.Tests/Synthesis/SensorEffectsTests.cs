using EdgeSeg.Core.Imaging;
using EdgeSeg.Trainer.Synthesis;

namespace EdgeSeg.Trainer.Tests.Synthesis;

public sealed class SensorEffectsTests
{
    private static ImageBuffer Gradient(int width, int height)
    {
        var image = new ImageBuffer(width, height, 3);
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var p = ((y * width) + x) * 3;
                image.Data[p] = (byte)(x * 255 / width);
                image.Data[p + 1] = (byte)(y * 255 / height);
                image.Data[p + 2] = (byte)(((x / 8) + (y / 8)) % 2 == 0 ? 40 : 210);
            }
        }

        return image;
    }

    private static double MeanAbsDiff(ImageBuffer a, ImageBuffer b)
    {
        double sum = 0;
        for (var i = 0; i < a.ByteCount; i++)
        {
            sum += Math.Abs(a.Data[i] - b.Data[i]);
        }

        return sum / a.ByteCount;
    }

    [Theory]
    [InlineData(33, 17)]
    [InlineData(64, 48)]
    public void JpegRoundTrip_HigherQuality_SmallerError(int width, int height)
    {
        var original = Gradient(width, height);
        var high = Gradient(width, height);
        var low = Gradient(width, height);
        SensorEffects.JpegRoundTrip(high, 95);
        SensorEffects.JpegRoundTrip(low, 20);
        var eHigh = MeanAbsDiff(original, high);
        var eLow = MeanAbsDiff(original, low);
        Assert.True(eHigh < 6, $"quality 95 error {eHigh:F2}");
        Assert.True(eLow > eHigh * 1.5, $"quality 20 error {eLow:F2} vs 95 {eHigh:F2}");
    }

    [Fact]
    public void Apply_Noise_SameSeedSameImageAndRoughlyTheRequestedSigma()
    {
        var a = Gradient(64, 48);
        var b = Gradient(64, 48);
        var settings = new SensorSettings(5f, 0, 0, 0, 0f);
        SensorEffects.Apply(a, settings, 9);
        SensorEffects.Apply(b, settings, 9);
        Assert.True(a.Pixels.SequenceEqual(b.Pixels));
        var clean = Gradient(64, 48);
        double sq = 0;
        for (var i = 0; i < a.ByteCount; i++)
        {
            sq += (a.Data[i] - clean.Data[i]) * (double)(a.Data[i] - clean.Data[i]);
        }

        Assert.InRange(Math.Sqrt(sq / a.ByteCount), 4.0, 6.0);
    }
}
