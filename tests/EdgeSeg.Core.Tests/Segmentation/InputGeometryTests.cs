using EdgeSeg.Core.Segmentation;

namespace EdgeSeg.Core.Tests.Segmentation;

public sealed class InputGeometryTests
{
    private static ModelCardInput Fixed(int w, int h, ResizePolicy resize) => new() { Name = "x", Width = w, Height = h, Resize = resize };

    [Fact]
    public void For_Stretch_ContentFillsTheTensor()
    {
        Assert.Equal(new InputGeometry(1280, 720, 640, 480, 0, 0, 640, 480), InputGeometry.For(Fixed(640, 480, ResizePolicy.Stretch), 1280, 720));
    }

    [Fact]
    public void For_LetterboxWideFrame_CentredVertically()
    {
        // 1280x720 into 640x640: scale 0.5, 640x360 content, 140 rows of padding above and below.
        Assert.Equal(new InputGeometry(1280, 720, 640, 640, 0, 140, 640, 360), InputGeometry.For(Fixed(640, 640, ResizePolicy.Letterbox), 1280, 720));
    }

    [Fact]
    public void For_LetterboxTallFrame_CentredHorizontally()
    {
        Assert.Equal(new InputGeometry(300, 600, 128, 72, 46, 0, 36, 72), InputGeometry.For(Fixed(128, 72, ResizePolicy.Letterbox), 300, 600));
    }

    [Fact]
    public void For_Dynamic_PadsRightAndBottomToTheMultiple()
    {
        var input = new ModelCardInput { Name = "x", MultipleOf = 32 };

        Assert.Equal(new InputGeometry(481, 360, 512, 384, 0, 0, 481, 360), InputGeometry.For(input, 481, 360));
        Assert.Equal(new InputGeometry(480, 352, 480, 352, 0, 0, 480, 352), InputGeometry.For(input, 480, 352));
    }
}
