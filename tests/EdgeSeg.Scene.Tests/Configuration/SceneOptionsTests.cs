using EdgeSeg.Scene.Configuration;

namespace EdgeSeg.Scene.Tests.Configuration;

public class SceneOptionsTests
{
    [Fact]
    public void Validate_Defaults_NoErrors()
    {
        Assert.Empty(new SceneOptions().Validate());
        Assert.Empty(new SceneOptions { Calibration = new() }.Validate());
    }

    [Fact]
    public void Validate_ManyBadValues_ReportsEveryOneWithKeyValueAndRule()
    {
        var options = new SceneOptions { MinObjectArea = -3, Calibration = new() { FocalLengthPixels = null, HorizontalFovDegrees = null } };
        options.Zones.Add(new ZoneOptions("a", new(0, 0), new(1, 0), new(1, 1.5)));
        options.Zones.Add(new ZoneOptions("a", new(0, 0), new(1, 0)));
        options.Corridor.TopY = 0.9;
        options.Corridor.BottomY = 0.8;
        options.Lane.Iterations = 0;
        options.Events.VehicleClose.EndProximity = 0.9;
        options.Events.PedestrianInCorridor.MinFrames = 1;

        var errors = options.Validate();

        Assert.Equal(
        [
            "Scene:Zones:0:Points:2:Y = 1.5: must be in [0, 1]",
            "Scene:Zones:1:Name = 'a': must be unique among the zones",
            "Scene:Zones:1:Points = 2: must list at least 3 vertices",
            "Scene:Corridor:TopY = 0.9: must be above (less than) Scene:Corridor:BottomY (0.8)",
            "Scene:MinObjectArea = -3: must be in [1, 2147483647]",
            "Scene:Lane:Iterations = 0: must be in [1, 256]",
            "Scene:Calibration:FocalLengthPixels = (null): one of Scene:Calibration:FocalLengthPixels or Scene:Calibration:HorizontalFovDegrees must be set",
            "Scene:Events:PedestrianInCorridor:MinFrames = 1: must be in [2, 1000000]",
            "Scene:Events:VehicleClose:EndProximity = 0.9: must be in [0, 0.75]",
        ],
        errors);
    }

    [Fact]
    public void ThrowIfInvalid_CustomSection_NamesKeysUnderIt()
    {
        var options = new SceneOptions();
        options.Lane.CameraX = double.NaN;
        var ex = Assert.Throws<ArgumentException>(() => options.ThrowIfInvalid("Sources:0:Scene"));
        Assert.Contains("Sources:0:Scene:Lane:CameraX = NaN: must be in [0, 1]", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EffectiveZones_EmptyZones_DefaultsUnlessTurnedOff()
    {
        Assert.Equal(["left", "ahead", "right"], new SceneOptions().EffectiveZones().Select(z => z.Name));
        Assert.Empty(new SceneOptions { UseDefaultZones = false }.EffectiveZones());
        var custom = new SceneOptions();
        custom.Zones.Add(new ZoneOptions("hood", new(0, 0.9), new(1, 0.9), new(1, 1), new(0, 1)));
        Assert.Equal(["hood"], custom.EffectiveZones().Select(z => z.Name));
    }
}
