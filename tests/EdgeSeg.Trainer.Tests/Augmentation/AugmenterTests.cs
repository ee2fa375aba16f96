using EdgeSeg.Core.Imaging;
using EdgeSeg.Trainer.Augmentation;
using EdgeSeg.Trainer.Datasets;

namespace EdgeSeg.Trainer.Tests.Augmentation;

public sealed class AugmenterTests
{
    // Label of each pixel: rectangular blocks (convex regions), codes 0..5 plus some ignored pixels.
    private static byte LabelAt(int x, int y) => (x / 13 + (y / 11 * 3)) % 7 is var v && v == 6 ? LabelSpace.Ignore : (byte)v;

    private static (byte B, byte G, byte R) Colour(byte label) => label == LabelSpace.Ignore ? ((byte)7, (byte)7, (byte)7) : ((byte)(30 * label), (byte)(200 - (25 * label)), (byte)(60 + (20 * label)));

    // An image drawn from its mask: the colour of each pixel is a function of its label.
    private static Sample MakeSample(int width, int height)
    {
        var image = new ImageBuffer(width, height, 3);
        var labels = new byte[width * height];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var l = LabelAt(x, y);
                labels[(y * width) + x] = l;
                var (b, g, r) = Colour(l);
                image.Pixels[((y * width) + x) * 3] = b;
                image.Pixels[((y * width) + x) * 3 + 1] = g;
                image.Pixels[((y * width) + x) * 3 + 2] = r;
            }
        }

        return new Sample(image, labels, 0, "synthetic");
    }

    [Theory]
    [InlineData(1.0, false, 0.3, 0.7)]
    [InlineData(1.0, true, 0.0, 1.0)]
    [InlineData(0.6, false, 0.5, 0.5)]
    [InlineData(0.6, true, 1.0, 0.0)]
    [InlineData(1.7, true, 0.2, 0.9)]
    [InlineData(2.3, false, 0.99, 0.01)]
    public void Apply_Geometry_KeepsImageAndLabelsAligned(double scale, bool flip, double offsetX, double offsetY)
    {
        var sample = MakeSample(97, 61);
        var augmenter = new Augmenter(new AugmentationOptions(), 64, 48);
        var image = new byte[64 * 48 * 3];
        var labels = new byte[64 * 48];
        var p = AugmentationParameters.Identity with { Scale = scale, Flip = flip, OffsetX = offsetX, OffsetY = offsetY };

        augmenter.Apply(sample, p, image, labels);

        var checkedPixels = AssertConsistent(image, labels, 64, 48, exactColours: true);
        Assert.True(checkedPixels > 500, $"only {checkedPixels} interior pixels were checked");
    }

    [Fact]
    public void Apply_RandomAugmentations_KeepImageAndLabelsConsistentAndInventNoLabel()
    {
        var sample = MakeSample(120, 90);
        var options = new AugmentationOptions { MinScale = 0.4, MaxScale = 2.0, BlurProbability = 0, NoiseProbability = 0 };
        var augmenter = new Augmenter(options, 80, 60);
        var random = new Random(5);
        var allowed = sample.Labels.ToHashSet();
        allowed.Add(LabelSpace.Ignore);
        var paddedSeen = false;
        for (var i = 0; i < 50; i++)
        {
            var image = new byte[80 * 60 * 3];
            var labels = new byte[80 * 60];
            augmenter.Apply(sample, augmenter.Draw(random), image, labels);

            Assert.All(labels, l => Assert.Contains(l, allowed));
            AssertConsistent(image, labels, 80, 60, exactColours: false);
            paddedSeen |= image.AsSpan(0, 3).SequenceEqual(new byte[3]) && labels[0] == LabelSpace.Ignore;
        }

        Assert.True(paddedSeen, "small scales should have produced padding");
    }

    [Fact]
    public void Apply_ColourBlurNoise_ChangeOnlyTheImage()
    {
        var sample = MakeSample(100, 80);
        var augmenter = new Augmenter(new AugmentationOptions { BlurProbability = 1, NoiseProbability = 1 }, 64, 64);
        var p = augmenter.Draw(new Random(11));
        var plain = p with { Brightness = 1, Contrast = 1, Saturation = 1, Blur = false, Noise = false };
        var (imageA, labelsA) = (new byte[64 * 64 * 3], new byte[64 * 64]);
        var (imageB, labelsB) = (new byte[64 * 64 * 3], new byte[64 * 64]);

        augmenter.Apply(sample, p, imageA, labelsA);
        augmenter.Apply(sample, plain, imageB, labelsB);

        Assert.True(p.Blur && p.Noise);
        Assert.Equal(labelsB, labelsA);
        Assert.NotEqual(imageB, imageA);
    }

    [Fact]
    public void Apply_PaddingOnly_UsesIgnoreLabelAndBlack()
    {
        var sample = MakeSample(10, 10);
        var augmenter = new Augmenter(AugmentationOptions.None, 30, 20);
        var image = new byte[30 * 20 * 3];
        var labels = new byte[30 * 20];

        augmenter.Apply(sample, AugmentationParameters.Identity with { OffsetX = 0, OffsetY = 0 }, image, labels);

        // Offset 0 of the free range places the 10x10 sample at the top-left; everything else is padding.
        for (var y = 0; y < 20; y++)
        {
            for (var x = 0; x < 30; x++)
            {
                var inside = x < 10 && y < 10;
                Assert.Equal(inside ? LabelAt(x, y) : LabelSpace.Ignore, labels[(y * 30) + x]);
                if (!inside)
                {
                    Assert.Equal(0, image[((y * 30) + x) * 3]);
                }
            }
        }
    }

    [Fact]
    public void Draw_SameSeed_SameParameters()
    {
        var augmenter = new Augmenter(new AugmentationOptions(), 8, 8);

        Assert.Equal(augmenter.Draw(new Random(3)), augmenter.Draw(new Random(3)));
    }

    // Where a pixel and its 8 neighbours share one label, the image colour must be that label's colour: the image
    // was drawn from the mask, so any misalignment between the two shows up as a wrong colour.
    private static int AssertConsistent(byte[] image, byte[] labels, int width, int height, bool exactColours)
    {
        var byLabel = new Dictionary<byte, (byte, byte, byte)>();
        var n = 0;
        for (var y = 1; y < height - 1; y++)
        {
            for (var x = 1; x < width - 1; x++)
            {
                var l = labels[(y * width) + x];
                var uniform = true;
                for (var dy = -1; dy <= 1 && uniform; dy++)
                {
                    for (var dx = -1; dx <= 1; dx++)
                    {
                        uniform &= labels[((y + dy) * width) + x + dx] == l;
                    }
                }

                if (!uniform)
                {
                    continue;
                }

                var i = ((y * width) + x) * 3;
                var colour = (image[i], image[i + 1], image[i + 2]);
                if (exactColours)
                {
                    var expected = Colour(l);
                    if (l == LabelSpace.Ignore && colour == (0, 0, 0))
                    {
                        continue; // padding
                    }

                    Assert.True(expected == colour, $"pixel ({x},{y}) label {l}: colour {colour} but expected {expected}");
                }
                else if (l != LabelSpace.Ignore)
                {
                    // Jitter maps equal colours to equal colours, so every interior pixel of one label has one colour.
                    if (byLabel.TryGetValue(l, out var seen))
                    {
                        Assert.True(seen == colour, $"pixel ({x},{y}) label {l}: colour {colour} but the label elsewhere is {seen}");
                    }
                    else
                    {
                        byLabel[l] = colour;
                    }
                }

                n++;
            }
        }

        return n;
    }
}
