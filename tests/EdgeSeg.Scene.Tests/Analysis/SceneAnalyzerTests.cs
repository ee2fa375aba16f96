using EdgeSeg.Core.Classes;
using EdgeSeg.Core.Masks;
using EdgeSeg.Scene.Analysis;
using EdgeSeg.Scene.Configuration;
using EdgeSeg.Scene.Metrics;
using EdgeSeg.Scene.Tests.Support;
using EdgeSeg.TestSupport;

namespace EdgeSeg.Scene.Tests.Analysis;

public class SceneAnalyzerTests
{
    private const int W = 1280;
    private const int H = 720;
    private static readonly DateTimeOffset T0 = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    /// <summary>
    /// Bottom half road; a 100x50 vehicle at (600, 500); a 20x60 pedestrian at (300, 550); two 5-px vertical lane
    /// lines centred on columns <paramref name="leftX"/> and <paramref name="rightX"/> over rows 400..719.
    /// </summary>
    private static Mask Street(int leftX = 402, int rightX = 877)
    {
        var mask = new Mask(W, H);
        MaskPainter.FillRect(mask, 0, 360, W, H, ApplianceClass.Road);
        MaskPainter.FillRect(mask, 600, 500, 700, 550, ApplianceClass.Vehicle);
        MaskPainter.FillRect(mask, 300, 550, 320, 610, ApplianceClass.Pedestrian);
        MaskPainter.DrawLine(mask, leftX, 0, 0, 5, 400, H);
        MaskPainter.DrawLine(mask, rightX, 0, 0, 5, 400, H);
        return mask;
    }

    [Fact]
    public void Analyze_SyntheticStreet_CoverageIsExact()
    {
        var m = new SceneAnalyzer(new SceneOptions()).Analyze(Street(), T0);

        Assert.Equal(new ClassCoverage(460_800, 451_400, 5_000, 1_200, 3_200), m.Coverage);
        Assert.Equal(0.5, m.Coverage.Fraction(ApplianceClass.Background));
        Assert.Equal((451_400 + 3_200) / 921_600.0, m.Quality.RoadFraction);
        Assert.Null(m.Quality.MeanConfidence);
        Assert.Equal(T0, m.Timestamp);
        Assert.Equal((W, H), (m.Width, m.Height));

        // Default zones: thirds of the lower half. Column 426 has its centre (426.5) left of 1280/3, column 853 right of 2*1280/3.
        Assert.Equal(["left", "ahead", "right"], m.Zones.ToArray().Select(z => z.Name));
        Assert.Equal(new ClassCoverage(0, 427 * 360 - 1_200 - 1_600, 0, 1_200, 1_600), m.Zones[0].Coverage);
        Assert.Equal(new ClassCoverage(0, 426 * 360 - 5_000, 5_000, 0, 0), m.Zones[1].Coverage);
        Assert.Equal(new ClassCoverage(0, 427 * 360 - 1_600, 0, 0, 1_600), m.Zones[2].Coverage);
    }

    [Fact]
    public void Analyze_SyntheticStreet_CorridorMatchesRayCastingOracle()
    {
        var options = new SceneOptions();
        var mask = Street();
        var m = new SceneAnalyzer(options).Analyze(mask, T0);

        var c = options.Corridor;
        var expected = MaskPainter.CountInside(mask,
        [
            (c.CenterX - (c.BottomWidth / 2), c.BottomY), (c.CenterX + (c.BottomWidth / 2), c.BottomY),
            (c.CenterX + (c.TopWidth / 2), c.TopY), (c.CenterX - (c.TopWidth / 2), c.TopY),
        ]);
        Assert.Equal(new ClassCoverage(expected[0], expected[1], expected[2], expected[3], expected[4]), m.Corridor.Coverage);
        Assert.Equal(5_000, m.Corridor.Coverage.Vehicle);
        Assert.Equal(0, m.Corridor.Coverage.Pedestrian);
        Assert.True(m.Corridor.VehiclePresent);
        Assert.False(m.Corridor.PedestrianPresent);
        Assert.Equal(5_000.0 / m.Corridor.Coverage.Total, m.Corridor.VehicleFraction);
        Assert.Equal(1.0 - m.Corridor.VehicleFraction, m.Corridor.DrivableFraction, 12);
    }

    [Fact]
    public void Analyze_SyntheticStreet_ObjectsAndProximityAreExact()
    {
        var m = new SceneAnalyzer(new SceneOptions()).Analyze(Street(), T0);

        Assert.Equal(2, m.Objects.Length);
        var pedestrian = m.Objects[0];
        var vehicle = m.Objects[1];
        Assert.Equal(new SceneObject(ApplianceClass.Pedestrian, 1_200, new PixelBox(300, 550, 20, 60), 309.5, 579.5, 309.5, 609, false, 250.0 / 360), pedestrian);
        Assert.Equal(new SceneObject(ApplianceClass.Vehicle, 5_000, new PixelBox(600, 500, 100, 50), 649.5, 524.5, 649.5, 549, true, 190.0 / 360), vehicle);

        Assert.Equal(new ProximityMetrics(true, 1, 190.0 / 360, null, null, null), m.NearestVehicle);
        Assert.False(m.NearestPedestrian.Present);
    }

    [Fact]
    public void Analyze_ComponentsTouchingDiagonally_AreOneObjectAndSmallOnesAreDropped()
    {
        var mask = new Mask(200, 100);
        MaskPainter.FillRect(mask, 10, 10, 30, 30, ApplianceClass.Vehicle);
        MaskPainter.FillRect(mask, 30, 30, 50, 50, ApplianceClass.Vehicle);          // touches the first at one corner
        MaskPainter.FillRect(mask, 50, 10, 70, 30, ApplianceClass.Pedestrian);       // touches the second: other class
        MaskPainter.FillRect(mask, 100, 10, 110, 20, ApplianceClass.Vehicle);        // 100 px: below the minimum
        MaskPainter.FillRect(mask, 120, 10, 130, 60, ApplianceClass.Vehicle);        // U shape: joins only at its bottom
        MaskPainter.FillRect(mask, 150, 10, 160, 60, ApplianceClass.Vehicle);
        MaskPainter.FillRect(mask, 120, 60, 160, 70, ApplianceClass.Vehicle);
        var m = new SceneAnalyzer(new SceneOptions { MinObjectArea = 101 }).Analyze(mask, T0);

        var objects = m.Objects.ToArray();
        Assert.Equal(3, objects.Length);
        Assert.Equal((ApplianceClass.Vehicle, 1_400, new PixelBox(120, 10, 40, 60)), (objects[0].Class, objects[0].Area, objects[0].Box));
        Assert.Equal(139.5, objects[0].BottomCenterX);
        Assert.Equal((ApplianceClass.Vehicle, 800, new PixelBox(10, 10, 40, 40)), (objects[1].Class, objects[1].Area, objects[1].Box));
        Assert.Equal(29.5, objects[1].CentroidX);
        Assert.Equal((ApplianceClass.Pedestrian, 400, new PixelBox(50, 10, 20, 20)), (objects[2].Class, objects[2].Area, objects[2].Box));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Analyze_RandomBlobs_ComponentsMatchFloodFillOracle(int seed)
    {
        var random = new Random(seed);
        var mask = new Mask(173, 131);
        for (var k = 0; k < 120; k++)
        {
            var x = random.Next(173);
            var y = random.Next(131);
            MaskPainter.FillRect(mask, x, y, Math.Min(173, x + random.Next(1, 25)), Math.Min(131, y + random.Next(1, 25)), (ApplianceClass)random.Next(5));
        }

        var m = new SceneAnalyzer(new SceneOptions { MinObjectArea = 20, MaxObjects = 4096 }).Analyze(mask, T0);

        var expected = FloodFill(mask, 20).OrderBy(o => o.ToString(), StringComparer.Ordinal).ToArray();
        var actual = m.Objects.ToArray()
            .Select(o => (o.Class, o.Area, o.Box.X, o.Box.Y, o.Box.Width, o.Box.Height, Math.Round(o.CentroidX, 9), Math.Round(o.CentroidY, 9)))
            .OrderBy(o => o.ToString(), StringComparer.Ordinal).ToArray();
        Assert.NotEmpty(expected);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Analyze_WithCalibration_DistanceIsFlatGroundGeometry()
    {
        var mask = new Mask(W, H);
        MaskPainter.FillRect(mask, 600, 480, 700, 540, ApplianceClass.Vehicle);

        var byFocal = new SceneOptions { Calibration = new() { MountingHeightMetres = 1.5, FocalLengthPixels = 1000, HorizonY = 0.5 } };
        var near = new SceneAnalyzer(byFocal).Analyze(mask, T0).NearestVehicle;
        Assert.Equal(0.5, near.Proximity);
        Assert.Equal(1.5 * 1000 / 180, near.DistanceMetres!.Value, 9);

        // 90 degree field of view: f = 640 px; pitch 0 puts the horizon on the centre row.
        var byFov = new SceneOptions { Calibration = new() { MountingHeightMetres = 1.5, HorizontalFovDegrees = 90, PitchDegrees = 0 } };
        Assert.Equal(1.5 * 640 / 180, new SceneAnalyzer(byFov).Analyze(mask, T0).NearestVehicle.DistanceMetres!.Value, 9);
    }

    [Fact]
    public void Analyze_VehicleApproachingSteadily_ClosingRateAndTimeToContactAreExact()
    {
        var analyzer = new SceneAnalyzer(new SceneOptions());
        for (var k = 0; k < 10; k++)
        {
            var mask = new Mask(W, H);
            var bottomEdge = 450 + (9 * k);
            MaskPainter.FillRect(mask, 600, 380, 680, bottomEdge, ApplianceClass.Vehicle);
            var near = analyzer.Analyze(mask, T0.AddMilliseconds(100 * k)).NearestVehicle;

            var p = (bottomEdge - 360) / 360.0;
            Assert.Equal(p, near.Proximity, 12);
            if (k == 0)
            {
                Assert.Null(near.ClosingRate);
                Assert.Null(near.TimeToContactSeconds);
            }
            else
            {
                // 9 rows per 0.1 s over a 360-row span: 0.25 per second, constant, so the smoothed rate equals it.
                Assert.Equal(0.25, near.ClosingRate!.Value, 9);
                Assert.Equal(p / 0.25, near.TimeToContactSeconds!.Value, 9);
            }
        }
    }

    [Fact]
    public void Analyze_VehicleLeavesCorridor_RateRestarts()
    {
        var analyzer = new SceneAnalyzer(new SceneOptions());
        var mask = new Mask(W, H);
        MaskPainter.FillRect(mask, 600, 380, 680, 500, ApplianceClass.Vehicle);
        analyzer.Analyze(mask, T0);
        analyzer.Analyze(new Mask(W, H), T0.AddMilliseconds(100));
        var near = analyzer.Analyze(mask, T0.AddMilliseconds(200)).NearestVehicle;
        Assert.True(near.Present);
        Assert.Null(near.ClosingRate);
    }

    [Theory]
    [InlineData(402, 877, 0.0)]
    [InlineData(302, 777, 100.0 / 475)]
    [InlineData(502, 977, -100.0 / 475)]
    public void Analyze_VerticalLaneLines_OffsetAndWidthAreExact(int leftX, int rightX, double offset)
    {
        var lane = new SceneAnalyzer(new SceneOptions()).Analyze(Street(leftX, rightX), T0).Lane;

        Assert.Equal(LaneStatus.Found, lane.Status);
        Assert.Equal(leftX, lane.Left.XAtReference, 9);
        Assert.Equal(rightX, lane.Right.XAtReference, 9);
        Assert.Equal(0, lane.Left.Slope, 9);
        Assert.Equal(475, lane.WidthPixels!.Value, 9);
        Assert.Equal(offset, lane.LateralOffset!.Value, 9);

        // Rows 400..719 of the 324-row region (396..719) hold the lines.
        Assert.Equal(320, lane.Left.SupportRows);
        Assert.Equal(320.0 / 324, lane.Confidence, 12);
    }

    [Fact]
    public void Analyze_DashedSlantedLinesWithClutter_OffsetWithinHalfPercent()
    {
        var mask = new Mask(W, H);
        MaskPainter.FillRect(mask, 0, 360, W, H, ApplianceClass.Road);
        for (var start = 396; start < H; start += 70)
        {
            MaskPainter.DrawLine(mask, 350, 719, -0.6, 3, start, Math.Min(H, start + 40));
            MaskPainter.DrawLine(mask, 950, 719, 0.6, 3, start + 20, Math.Min(H, start + 60));
        }

        // Clutter: an arrow shaft in the lane (too wide for a marking), a far kerb line and specks.
        MaskPainter.FillRect(mask, 630, 600, 660, 719, ApplianceClass.LaneMarking);
        MaskPainter.DrawLine(mask, 1250, 719, 0.2, 3, 396, H);
        var random = new Random(5);
        for (var k = 0; k < 40; k++)
        {
            var x = random.Next(W - 3);
            var y = random.Next(396, H - 3);
            MaskPainter.FillRect(mask, x, y, x + 2, y + 2, ApplianceClass.LaneMarking);
        }

        var lane = new SceneAnalyzer(new SceneOptions()).Analyze(mask, T0).Lane;

        Assert.Equal(LaneStatus.Found, lane.Status);
        Assert.Equal(350, lane.Left.XAtReference, 1.0);
        Assert.Equal(950, lane.Right.XAtReference, 1.0);
        Assert.Equal(-0.6, lane.Left.Slope, 0.01);
        Assert.Equal((639.5 - 650) / 600, lane.LateralOffset!.Value, 0.005);
    }

    [Fact]
    public void Analyze_NoMarkings_LaneNotFoundIsAValue()
    {
        var mask = new Mask(W, H);
        MaskPainter.FillRect(mask, 0, 360, W, H, ApplianceClass.Road);
        var lane = new SceneAnalyzer(new SceneOptions()).Analyze(mask, T0).Lane;
        Assert.Equal(LaneMetrics.NotFound, lane);
    }

    [Fact]
    public void Analyze_OnlyLeftMarking_LeftOnlyWithoutOffset()
    {
        var mask = new Mask(W, H);
        MaskPainter.DrawLine(mask, 402, 0, 0, 5, 400, H);
        var lane = new SceneAnalyzer(new SceneOptions()).Analyze(mask, T0).Lane;
        Assert.Equal(LaneStatus.LeftOnly, lane.Status);
        Assert.True(lane.Left.Found);
        Assert.False(lane.Right.Found);
        Assert.Null(lane.LateralOffset);
        Assert.Null(lane.WidthPixels);
    }

    [Fact]
    public void Analyze_ConfidenceMap_MeanMatchesDoubleSum()
    {
        var mask = new Mask(641, 359);
        var confidence = new float[mask.PixelCount];
        var random = new Random(9);
        double sum = 0;
        for (var i = 0; i < confidence.Length; i++)
        {
            confidence[i] = (float)random.NextDouble();
            sum += confidence[i];
        }

        var m = new SceneAnalyzer(new SceneOptions()).Analyze(mask, T0, confidence);
        Assert.Equal(sum / confidence.Length, m.Quality.MeanConfidence!.Value, 5);
    }

    [Fact]
    public void Analyze_ConfidenceOfWrongLength_ThrowsNamingBothLengths()
    {
        var analyzer = new SceneAnalyzer(new SceneOptions());
        var ex = Assert.Throws<ArgumentException>(() => analyzer.Analyze(new Mask(10, 10), T0, new float[99]));
        Assert.Equal("confidence", ex.ParamName);
        Assert.Contains("99", ex.Message, StringComparison.Ordinal);
        Assert.Contains("100", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_InvalidOptions_ThrowsListingEveryError()
    {
        var options = new SceneOptions { MinObjectArea = 0 };
        options.Corridor.TopY = 1.5;
        var ex = Assert.Throws<ArgumentException>(() => new SceneAnalyzer(options));
        Assert.Contains("Scene:MinObjectArea = 0", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Scene:Corridor:TopY = 1.5", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Analyze_AfterWarmUp_AllocatesNothing()
    {
        var analyzer = new SceneAnalyzer(new SceneOptions { Calibration = new() });
        var mask = Street();
        var confidence = new float[mask.PixelCount];
        analyzer.Analyze(mask, T0, confidence);
        analyzer.Analyze(mask, T0.AddMilliseconds(100), confidence);

        var k = 2;
        Assert.Equal(0, Allocations.QuietestRound(() => analyzer.Analyze(mask, T0.AddMilliseconds(100 * k++), confidence), callsPerRound: 4));
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 3)]
    [InlineData(17, 1)]
    [InlineData(1, 33)]
    public void Analyze_TinyMasks_ComputeWithoutError(int width, int height)
    {
        var mask = new Mask(width, height);
        mask.Pixels.Fill((byte)ApplianceClass.LaneMarking);
        mask[0, height - 1] = ApplianceClass.Vehicle;
        var analyzer = new SceneAnalyzer(new SceneOptions { MinObjectArea = 1, Calibration = new() });
        var m = analyzer.Analyze(mask, T0);
        m = analyzer.Analyze(mask, T0.AddSeconds(1));
        Assert.Equal(width * height, m.Coverage.Total);
        Assert.Equal(1, m.Coverage.Vehicle);
        Assert.Single(m.Objects.ToArray());
    }

    [Fact]
    public void Analyze_SameMaskTwice_SameLaneResult()
    {
        var mask = Street(352, 901);
        var a = new SceneAnalyzer(new SceneOptions()).Analyze(mask, T0).Lane;
        var b = new SceneAnalyzer(new SceneOptions()).Analyze(mask, T0).Lane;
        Assert.Equal(a, b);
    }

    private static List<(ApplianceClass, int, int, int, int, int, double, double)> FloodFill(Mask mask, int minArea)
    {
        var seen = new bool[mask.Width, mask.Height];
        var result = new List<(ApplianceClass, int, int, int, int, int, double, double)>();
        var stack = new Stack<(int X, int Y)>();
        for (var y = 0; y < mask.Height; y++)
        {
            for (var x = 0; x < mask.Width; x++)
            {
                var cls = mask[x, y];
                if (seen[x, y] || cls is not (ApplianceClass.Vehicle or ApplianceClass.Pedestrian))
                {
                    continue;
                }

                int area = 0, minX = x, maxX = x, minY = y, maxY = y;
                double sx = 0, sy = 0;
                seen[x, y] = true;
                stack.Push((x, y));
                while (stack.Count > 0)
                {
                    var (px, py) = stack.Pop();
                    area++;
                    sx += px;
                    sy += py;
                    (minX, maxX, minY, maxY) = (Math.Min(minX, px), Math.Max(maxX, px), Math.Min(minY, py), Math.Max(maxY, py));
                    for (var dy = -1; dy <= 1; dy++)
                    {
                        for (var dx = -1; dx <= 1; dx++)
                        {
                            int nx = px + dx, ny = py + dy;
                            if ((uint)nx < (uint)mask.Width && (uint)ny < (uint)mask.Height && !seen[nx, ny] && mask[nx, ny] == cls)
                            {
                                seen[nx, ny] = true;
                                stack.Push((nx, ny));
                            }
                        }
                    }
                }

                if (area >= minArea)
                {
                    result.Add((cls, area, minX, minY, maxX - minX + 1, maxY - minY + 1, Math.Round(sx / area, 9), Math.Round(sy / area, 9)));
                }
            }
        }

        return result;
    }
}
