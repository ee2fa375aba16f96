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

    [Fact]
    public void For_DynamicWithWorkingHeight_ScalesKeepingAspectThenPads()
    {
        var input = new ModelCardInput { Name = "x", MultipleOf = 16, WorkingHeight = 240 };

        // 1280x720 -> 427x240 (aspect kept), padded to 432x240; 960x720 -> 320x240 exactly; 160x120 is scaled up.
        Assert.Equal(new InputGeometry(1280, 720, 432, 240, 0, 0, 427, 240), InputGeometry.For(input, 1280, 720));
        Assert.Equal(new InputGeometry(960, 720, 320, 240, 0, 0, 320, 240), InputGeometry.For(input, 960, 720));
        Assert.Equal(new InputGeometry(160, 120, 320, 240, 0, 0, 320, 240), InputGeometry.For(input, 160, 120));
        Assert.Equal(new InputGeometry(321, 240, 336, 240, 0, 0, 321, 240), InputGeometry.For(input, 321, 240));
    }
}
