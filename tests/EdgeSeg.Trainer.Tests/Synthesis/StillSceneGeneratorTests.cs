using EdgeSeg.Core.Classes;
using EdgeSeg.Trainer.Synthesis;

namespace EdgeSeg.Trainer.Tests.Synthesis;

public sealed class StillSceneGeneratorTests
{
    [Fact]
    public void Render_BatchOfScenes_EveryClassAppearsAndNoValueAbove4()
    {
        var counts = new long[256];
        for (var i = 0; i < 24; i++)
        {
            var (_, mask) = DatasetRenderer.RenderOne(42, i, 192, 108);
            foreach (var v in mask.Pixels)
            {
                counts[v]++;
            }
        }

        for (var c = 0; c < ApplianceClasses.Count; c++)
        {
            Assert.True(counts[c] > 0, $"class {ApplianceClasses.Get(c).Name} never appears in 24 scenes");
        }

        Assert.Equal(0, counts.Skip(ApplianceClasses.Count).Sum());
    }

    [Fact]
    public void Render_SameSeedAndIndex_IdenticalImageAndMask()
    {
        var (imageA, maskA) = DatasetRenderer.RenderOne(7, 3, 160, 96);
        var (imageB, maskB) = DatasetRenderer.RenderOne(7, 3, 160, 96);
        Assert.True(imageA.Pixels.SequenceEqual(imageB.Pixels));
        Assert.True(maskA.Pixels.SequenceEqual(maskB.Pixels));
    }

    [Fact]
    public void Render_DifferentSeed_DifferentScene()
    {
        var (imageA, maskA) = DatasetRenderer.RenderOne(7, 3, 160, 96);
        var (imageB, maskB) = DatasetRenderer.RenderOne(8, 3, 160, 96);
        Assert.False(imageA.Pixels.SequenceEqual(imageB.Pixels));
        Assert.False(maskA.Pixels.SequenceEqual(maskB.Pixels));
    }

    [Fact]
    public void Render_Batch_ImageAndMaskAlign()
    {
        // Paint is brighter than asphalt in every light; where the mask says lane marking the image must be
        // brighter than where it says road on the same rows, which fails if image and mask were shifted.
        double markingSum = 0, roadSum = 0;
        long markingCount = 0, roadCount = 0;
        double shiftedMarkingSum = 0;
        long shiftedCount = 0;
        for (var i = 0; i < 12; i++)
        {
            var (image, mask) = DatasetRenderer.RenderOne(5, i, 256, 144);
            for (var y = 0; y < mask.Height; y++)
            {
                for (var x = 0; x < mask.Width - 6; x++)
                {
                    var p = ((y * mask.Width) + x) * 3;
                    var luma = (0.114 * image.Data[p]) + (0.587 * image.Data[p + 1]) + (0.299 * image.Data[p + 2]);
                    var cls = mask[x, y];
                    if (cls == ApplianceClass.LaneMarking)
                    {
                        markingSum += luma;
                        markingCount++;
                        var q = p + 18;
                        shiftedMarkingSum += (0.114 * image.Data[q]) + (0.587 * image.Data[q + 1]) + (0.299 * image.Data[q + 2]);
                        shiftedCount++;
                    }
                    else if (cls == ApplianceClass.Road)
                    {
                        roadSum += luma;
                        roadCount++;
                    }
                }
            }
        }

        Assert.True(markingCount > 100 && roadCount > 1000);
        var marking = markingSum / markingCount;
        var road = roadSum / roadCount;
        var shifted = shiftedMarkingSum / shiftedCount;
        Assert.True(marking > road + 20, $"lane marking mean luma {marking:F1} vs road {road:F1}");
        Assert.True(marking > shifted + 10, $"marking pixels {marking:F1} vs the same pixels 6 px to the right {shifted:F1}");
    }
}
