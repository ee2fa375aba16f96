using EdgeSeg.Core.Classes;
using EdgeSeg.Core.Imaging;
using EdgeSeg.OpenCv.Tests.Support;

namespace EdgeSeg.OpenCv.Tests.Imaging;

public sealed class CvImageTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(4)]
    public void WriteRead_Png_RoundTripsExactly(int channels)
    {
        var image = TestImages.Random(37, 23, channels, seed: channels);
        var path = _temp.File("image.png");

        CvImage.Write(path, image);
        var back = CvImage.Read(path, ImageReadMode.Unchanged);

        Assert.Equal((37, 23, channels), (back.Width, back.Height, back.Channels));
        Assert.True(image.Pixels.SequenceEqual(back.Pixels));
    }

    [Fact]
    public void Read_ColorModeOfGreyPng_ExpandsToThreeEqualChannels()
    {
        var grey = TestImages.Random(9, 5, 1, seed: 3);
        var path = _temp.File("grey.png");
        CvImage.Write(path, grey);

        var color = CvImage.Read(path);

        Assert.Equal(3, color.Channels);
        for (var i = 0; i < grey.ByteCount; i++)
        {
            Assert.Equal(grey.Pixels[i], color.Pixels[3 * i]);
            Assert.Equal(grey.Pixels[i], color.Pixels[(3 * i) + 1]);
            Assert.Equal(grey.Pixels[i], color.Pixels[(3 * i) + 2]);
        }
    }

    [Fact]
    public void EncodeDecode_MaskPng_StaysSingleChannelWithSameIndices()
    {
        var mask = TestImages.Mask(641, 359, 5, seed: 1);

        var png = CvImage.Encode(mask, ImageFormat.Png);
        var back = CvImage.Decode(png, ImageReadMode.Unchanged);

        Assert.Equal(1, back.Channels);
        Assert.True(mask.Pixels.SequenceEqual(back.Pixels));
        // The PNG header's colour type byte (offset 25) is 0: greyscale, and bit depth (offset 24) is 8.
        Assert.Equal(8, png[24]);
        Assert.Equal(0, png[25]);
    }

    [Fact]
    public void Encode_SpanLargeEnough_WritesSameBytesAsArrayOverload()
    {
        var image = TestImages.Random(64, 48, 3, seed: 5);
        var expected = CvImage.Encode(image, ImageFormat.Jpeg, 80);
        var destination = new byte[expected.Length + 100];

        var written = CvImage.Encode(image, ImageFormat.Jpeg, destination, 80);

        Assert.Equal(expected.Length, written);
        Assert.True(expected.AsSpan().SequenceEqual(destination.AsSpan(0, written)));
    }

    [Fact]
    public void Encode_SpanTooSmall_ThrowsNamingNeededSize()
    {
        var image = TestImages.Random(64, 48, 3, seed: 5);
        var needed = CvImage.Encode(image, ImageFormat.Png).Length;

        var e = Assert.Throws<ArgumentException>(() => CvImage.Encode(image, ImageFormat.Png, new byte[10]));

        Assert.Contains(needed.ToString(), e.Message);
    }

    [Fact]
    public void EncodeDecode_Jpeg_CloseToOriginal()
    {
        var image = new ImageBuffer(64, 64, 3);
        for (var y = 0; y < 64; y++)
        {
            for (var x = 0; x < 64; x++)
            {
                image.Row(y)[3 * x] = (byte)(x * 4);
                image.Row(y)[(3 * x) + 1] = (byte)(y * 4);
                image.Row(y)[(3 * x) + 2] = 128;
            }
        }

        var back = CvImage.Decode(CvImage.Encode(image, ImageFormat.Jpeg, 95));

        var worst = 0;
        for (var i = 0; i < image.ByteCount; i++)
        {
            worst = Math.Max(worst, Math.Abs(image.Pixels[i] - back.Pixels[i]));
        }

        // A smooth gradient at quality 95 stays within a few levels; a broken channel order would be off by ~100.
        Assert.InRange(worst, 0, 8);
    }

    [Fact]
    public void Read_MissingFile_ThrowsFileNotFoundNamingIt()
    {
        var path = _temp.File("nope.png");

        var e = Assert.Throws<FileNotFoundException>(() => CvImage.Read(path));

        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void Read_NotAnImage_ThrowsOpenCvExceptionNamingFile()
    {
        var path = _temp.File("text.png");
        File.WriteAllText(path, "not an image at all");

        var e = Assert.Throws<OpenCvException>(() => CvImage.Read(path));

        Assert.Equal(OpenCvStatus.IO, e.Status);
        Assert.Equal("ecv_imread", e.Function);
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void Decode_Garbage_ThrowsOpenCvException()
    {
        var e = Assert.Throws<OpenCvException>(() => CvImage.Decode(new byte[] { 1, 2, 3, 4, 5 }));

        Assert.Equal("ecv_imdecode", e.Function);
    }

    [Fact]
    public void Write_UnknownExtension_ThrowsNamingPath()
    {
        var path = _temp.File("image.gif");

        var e = Assert.Throws<ArgumentException>(() => CvImage.Write(path, new ImageBuffer(2, 2, 3)));

        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void Write_MissingFolder_ThrowsOpenCvException()
    {
        var path = Path.Combine(_temp.Path, "no", "such", "dir", "image.png");

        var e = Assert.Throws<OpenCvException>(() => CvImage.Write(path, new ImageBuffer(2, 2, 3)));

        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void Resize_NearestDoubling_RepeatsEachPixel()
    {
        var source = TestImages.Mask(13, 7, 5, seed: 2);
        var destination = new ImageBuffer(26, 14, 1);

        CvImage.Resize(source, destination, ResizeInterpolation.Nearest);

        for (var y = 0; y < 14; y++)
        {
            for (var x = 0; x < 26; x++)
            {
                Assert.Equal(source.Pixels[((y / 2) * 13) + (x / 2)], destination.Pixels[(y * 26) + x]);
            }
        }
    }

    [Fact]
    public void Resize_AreaHalving_AveragesTwoByTwoBlocks()
    {
        var source = TestImages.Random(40, 30, 3, seed: 9);
        var destination = new ImageBuffer(20, 15, 3);

        CvImage.Resize(source, destination, ResizeInterpolation.Area);

        for (var y = 0; y < 15; y++)
        {
            for (var x = 0; x < 20; x++)
            {
                for (var c = 0; c < 3; c++)
                {
                    double sum = source.Row(2 * y)[(6 * x) + c] + source.Row(2 * y)[(6 * x) + 3 + c] + source.Row((2 * y) + 1)[(6 * x) + c] + source.Row((2 * y) + 1)[(6 * x) + 3 + c];
                    // OpenCV rounds the integer average; a double reference differs by at most the rounding.
                    Assert.InRange(destination.Row(y)[(3 * x) + c], Math.Floor(sum / 4) - 0, Math.Ceiling(sum / 4));
                }
            }
        }
    }

    [Fact]
    public void Resize_LinearOfConstantImage_StaysConstant()
    {
        var source = new ImageBuffer(33, 17, 3);
        source.Pixels.Fill(77);
        var destination = new ImageBuffer(50, 9, 3);

        CvImage.Resize(source, destination, ResizeInterpolation.Linear);

        Assert.All(destination.Pixels.ToArray(), b => Assert.Equal(77, b));
    }

    [Fact]
    public void Resize_ChannelMismatch_Throws()
    {
        Assert.Throws<ArgumentException>(() => CvImage.Resize(new ImageBuffer(4, 4, 3), new ImageBuffer(2, 2, 1), ResizeInterpolation.Area));
    }

    [Theory]
    [InlineData(0f)]
    [InlineData(0.5f)]
    [InlineData(0.35f)]
    [InlineData(1f)]
    public void Blend_MatchesDoubleReference(float alpha)
    {
        var frame = TestImages.Random(31, 17, 3, seed: 4);
        var mask = TestImages.Mask(31, 17, 6, seed: 4); // index 5 is outside the 5-colour palette
        var palette = ApplianceClasses.All.Select(c => c.Color).ToArray();
        var destination = new ImageBuffer(31, 17, 3);

        CvImage.Blend(frame, mask.Pixels, palette, alpha, destination);

        for (var i = 0; i < 31 * 17; i++)
        {
            var c = mask.Pixels[i];
            for (var k = 0; k < 3; k++)
            {
                double f = frame.Pixels[(3 * i) + k];
                var expected = f;
                if (c < palette.Length)
                {
                    double p = k switch { 0 => palette[c].B, 1 => palette[c].G, _ => palette[c].R };
                    expected = (f * (1 - alpha)) + (p * alpha);
                }

                Assert.InRange(destination.Pixels[(3 * i) + k], expected - 1, expected + 1);
            }
        }
    }

    [Fact]
    public void Blend_InPlace_SameAsSeparateDestination()
    {
        var frame = TestImages.Random(16, 8, 3, seed: 8);
        var mask = TestImages.Mask(16, 8, 5, seed: 8);
        var palette = new[] { new Rgb(0, 0, 0), new Rgb(255, 0, 0), new Rgb(0, 255, 0), new Rgb(0, 0, 255), new Rgb(9, 9, 9) };
        var separate = new ImageBuffer(16, 8, 3);
        CvImage.Blend(frame, mask.Pixels, palette, 0.4f, separate);

        CvImage.Blend(frame, mask.Pixels, palette, 0.4f, frame);

        Assert.True(separate.Pixels.SequenceEqual(frame.Pixels));
    }

    [Fact]
    public void Blend_ShortMask_Throws()
    {
        var frame = new ImageBuffer(4, 4, 3);

        Assert.Throws<ArgumentException>(() => CvImage.Blend(frame, new byte[15], [new Rgb(1, 2, 3)], 0.5f, frame));
    }

    [Theory]
    [InlineData(8)]
    [InlineData(4)]
    public void ConnectedComponents_MatchesFloodFillOracle(int connectivity)
    {
        const int w = 53, h = 29;
        var mask = TestImages.Mask(w, h, 3, seed: 11);
        var labels = new int[w * h];
        var stats = new List<ComponentStats>();

        var count = CvImage.ConnectedComponents(mask.Pixels, w, h, 2, labels, stats, connectivity);

        var expected = FloodFill(mask.Pixels.ToArray(), w, h, 2, connectivity);
        Assert.Equal(expected.Count, count);
        Assert.Equal(count, stats.Count);
        // OpenCV's block-based 8-connectivity labelling does not number in raster order, so compare the partitions:
        // each oracle component must map to exactly one OpenCV label and vice versa.
        var map = new Dictionary<int, int>();
        for (var i = 0; i < labels.Length; i++)
        {
            Assert.Equal(expected.Labels[i] == 0, labels[i] == 0);
            if (expected.Labels[i] != 0)
            {
                Assert.Equal(labels[i], map.TryGetValue(expected.Labels[i], out var l) ? l : map[expected.Labels[i]] = labels[i]);
            }
        }

        Assert.Equal(count, map.Values.Distinct().Count());
        foreach (var (oracle, label) in map)
        {
            var (area, left, top, right, bottom, sx, sy) = expected.Stats[oracle - 1];
            var actual = stats[label - 1];
            Assert.Equal((label, left, top, right - left + 1, bottom - top + 1, area), (actual.Label, actual.Left, actual.Top, actual.Width, actual.Height, actual.Area));
            Assert.Equal(sx / area, actual.CentroidX, 9);
            Assert.Equal(sy / area, actual.CentroidY, 9);
        }
    }

    [Fact]
    public void ConnectedComponents_ManyComponents_GrowsBeyondInitialCapacity()
    {
        // A checkerboard of isolated pixels under 4-connectivity: 50x50/2 = 1250 components.
        const int w = 50, h = 50;
        var image = new byte[w * h];
        for (var i = 0; i < image.Length; i++)
        {
            image[i] = (byte)(((i % w) + (i / w)) % 2);
        }

        var stats = new List<ComponentStats>();
        var count = CvImage.ConnectedComponents(image, w, h, 1, new int[w * h], stats, 4);

        Assert.Equal(1250, count);
        Assert.All(stats, s => Assert.Equal(1, s.Area));
    }

    private static (int Count, int[] Labels, List<(int Area, int Left, int Top, int Right, int Bottom, double Sx, double Sy)> Stats) FloodFill(byte[] image, int w, int h, byte value, int connectivity)
    {
        var labels = new int[w * h];
        var stats = new List<(int, int, int, int, int, double, double)>();
        var queue = new Queue<int>();
        var next = 0;
        for (var start = 0; start < image.Length; start++)
        {
            if (image[start] != value || labels[start] != 0)
            {
                continue;
            }

            next++;
            labels[start] = next;
            queue.Enqueue(start);
            int area = 0, left = w, top = h, right = -1, bottom = -1;
            double sx = 0, sy = 0;
            while (queue.Count > 0)
            {
                var p = queue.Dequeue();
                int px = p % w, py = p / w;
                area++;
                sx += px;
                sy += py;
                left = Math.Min(left, px);
                right = Math.Max(right, px);
                top = Math.Min(top, py);
                bottom = Math.Max(bottom, py);
                for (var dy = -1; dy <= 1; dy++)
                {
                    for (var dx = -1; dx <= 1; dx++)
                    {
                        if ((dx == 0 && dy == 0) || (connectivity == 4 && dx != 0 && dy != 0))
                        {
                            continue;
                        }

                        int nx = px + dx, ny = py + dy;
                        if (nx < 0 || ny < 0 || nx >= w || ny >= h)
                        {
                            continue;
                        }

                        var q = (ny * w) + nx;
                        if (image[q] == value && labels[q] == 0)
                        {
                            labels[q] = next;
                            queue.Enqueue(q);
                        }
                    }
                }
            }

            stats.Add((area, left, top, right, bottom, sx, sy));
        }

        return (next, labels, stats);
    }
}
