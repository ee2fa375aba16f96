using EdgeSeg.Core.Classes;
using EdgeSeg.Core.Masks;

namespace EdgeSeg.Core.Tests.Masks;

public sealed class MaskTests
{
    [Fact]
    public void Constructor_OutOfRangeValue_ThrowsWithValueAndPosition()
    {
        var data = new byte[6 * 4];
        data[(2 * 6) + 5] = 5;

        var error = Assert.Throws<InvalidMaskException>(() => new Mask(6, 4, data));

        Assert.Equal("Mask value 5 at (x=5, y=2) is out of range: classes are 0..4.", error.Message);
    }

    [Fact]
    public void Constructor_WrongLength_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() => new Mask(4, 4, new byte[15]));
        Assert.Contains("15 bytes", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 0)]
    [InlineData(-3, 2)]
    public void Constructor_NonPositiveSize_Throws(int width, int height)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Mask(width, height));
    }

    [Fact]
    public void Indexer_WritesRowMajor()
    {
        var mask = new Mask(3, 2) { [2, 1] = ApplianceClass.Pedestrian };

        Assert.Equal(3, mask.Pixels[5]);
        Assert.Equal(ApplianceClass.Pedestrian, mask[2, 1]);
        Assert.Equal([0, 0, 3], mask.Row(1).ToArray());
    }

    [Fact]
    public void Validate_AfterUntrustedWrite_Throws()
    {
        var mask = new Mask(2, 2);
        mask.Pixels[3] = 200;

        var error = Assert.Throws<InvalidMaskException>(mask.Validate);

        Assert.Equal((1, 1, (byte)200), (error.X, error.Y, error.Value));
    }
}
