using EdgeSeg.Core.Classes;
using EdgeSeg.Core.Masks;

namespace EdgeSeg.Core.Tests.Classes;

public sealed class ClassMapTests
{
    // CamVid's 11 classes plus Unlabelled (11) as the ignore label.
    private static ClassMap CamVid() => new(
        11,
        new Dictionary<int, ApplianceClass>
        {
            [0] = ApplianceClass.Background, [1] = ApplianceClass.Background, [2] = ApplianceClass.Background,
            [3] = ApplianceClass.Road, [4] = ApplianceClass.Background, [5] = ApplianceClass.Background,
            [6] = ApplianceClass.Background, [7] = ApplianceClass.Background, [8] = ApplianceClass.Vehicle,
            [9] = ApplianceClass.Pedestrian, [10] = ApplianceClass.Vehicle,
        },
        ignoreLabel: 11);

    [Fact]
    public void Apply_CamVidLabels_MapsAndMarksIgnore()
    {
        byte[] source = [3, 8, 9, 10, 11, 0];
        var destination = new byte[6];

        CamVid().Apply(source, destination, 3);

        Assert.Equal([1, 2, 3, 2, ClassMap.Ignore, 0], destination);
    }

    [Fact]
    public void Apply_InPlace_Works()
    {
        byte[] pixels = [3, 9, 11];
        CamVid().Apply(pixels, pixels, 3);
        Assert.Equal([1, 3, 255], pixels);
    }

    [Fact]
    public void Apply_ValueOutsideClassList_ThrowsWithValueAndPosition()
    {
        byte[] pixels = [3, 3, 3, 3, 12, 3];

        var error = Assert.Throws<InvalidMaskException>(() => CamVid().Apply(pixels, pixels, 3));

        Assert.Equal("Mask value 12 at (x=1, y=1) is out of range: classes are 0..10.", error.Message);
    }

    [Fact]
    public void Constructor_UnmappedClass_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() => new ClassMap(3, new Dictionary<int, ApplianceClass> { [0] = 0, [2] = 0 }));
        Assert.Contains("no appliance class for source class 1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_SourceIndexOutOfRange_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() => new ClassMap(2, new Dictionary<int, ApplianceClass> { [0] = 0, [1] = 0, [5] = 0 }));
        Assert.Contains("source class 5", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_TargetNotAnApplianceClass_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() => new ClassMap(1, new Dictionary<int, ApplianceClass> { [0] = (ApplianceClass)9 }));
        Assert.Contains("9, which is not an appliance class", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Identity_MapsEachClassToItself()
    {
        for (var c = 0; c < ApplianceClasses.Count; c++)
        {
            Assert.Equal(c, ClassMap.Identity[c]);
        }

        Assert.Throws<ArgumentOutOfRangeException>(() => ClassMap.Identity[5]);
    }

    [Fact]
    public void ApplianceClasses_NamesAndIndices_AreFixed()
    {
        Assert.Equal(["background", "road", "vehicle", "pedestrian", "lane_marking"], ApplianceClasses.All.Select(c => c.Name));
        Assert.Equal(ApplianceClass.LaneMarking, ApplianceClasses.Parse("lane_marking"));
        var error = Assert.Throws<FormatException>(() => ApplianceClasses.Parse("car"));
        Assert.Contains("background, road, vehicle, pedestrian, lane_marking", error.Message, StringComparison.Ordinal);
    }
}
