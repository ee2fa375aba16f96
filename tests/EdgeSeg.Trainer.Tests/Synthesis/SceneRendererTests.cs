using EdgeSeg.Core.Classes;
using EdgeSeg.Core.Imaging;
using EdgeSeg.Core.Masks;
using EdgeSeg.Trainer.Synthesis;

namespace EdgeSeg.Trainer.Tests.Synthesis;

public sealed class SceneRendererTests
{
    private const int W = 320;
    private const int H = 180;

    // Two 3.5 m lanes, solid edge lines 0.12 m inside the edges, a solid centre line; no pavement, no wear.
    private static RoadLayout PlainLayout() => new(2, 3.5f, 1, LaneLineStyle.Solid, LaneLineStyle.Solid, LaneLineStyle.Solid,
        false, 0f, 3f, 10f, 0f, 0f, Colour.Rgb(90, 90, 90), Colour.Rgb(160, 160, 160), Colour.Rgb(80, 120, 60), SceneryStyle.Rural);

    private static SceneFrame Frame(Camera camera, float cameraX, IReadOnlyList<SceneObject> objects) => new(
        camera, RoadGeometry.Straight, PlainLayout(), 1000f, cameraX, Lighting.Create(TimeOfDay.Overcast, new SceneRandom(5)),
        objects, SensorSettings.None, 11, 12);

    private static Mask Render(SceneFrame frame)
    {
        var image = new ImageBuffer(frame.Camera.Width, frame.Camera.Height, 3);
        var mask = new Mask(frame.Camera.Width, frame.Camera.Height);
        SceneRenderer.Render(frame, image, mask);
        return mask;
    }

    [Fact]
    public void Render_FlatStraightRoad_EveryGroundPixelMatchesThePinholeOracle()
    {
        var camera = Camera.Create(W, H, 60f, 0.45f, 1.4f);
        const float cameraX = 1.75f;
        var mask = Render(Frame(camera, cameraX, []));

        // Independent oracle: pinhole projection of the flat road plane, stripes at their metric positions.
        float[][] stripes = [[-3.38f, -3.23f], [-0.065f, 0.065f], [3.23f, 3.38f]];
        var checkedPixels = 0;
        for (var y = 0; y < H; y++)
        {
            var yc = y + 0.5;
            if (yc - camera.HorizonY < 0.5)
            {
                continue;
            }

            var d = camera.Focal * camera.MountHeight / (yc - camera.HorizonY);
            if (d > 3000)
            {
                continue;
            }

            for (var x = 0; x < W; x++)
            {
                var xLateral = ((x + 0.5 - camera.CentreX) * d / camera.Focal) + cameraX;
                var tolerance = 2e-4 * d;
                var nearEdge = Math.Abs(Math.Abs(xLateral) - 3.5) < tolerance
                    || stripes.Any(s => Math.Abs(xLateral - s[0]) < tolerance || Math.Abs(xLateral - s[1]) < tolerance);
                if (nearEdge)
                {
                    continue;
                }

                var expected = stripes.Any(s => xLateral >= s[0] && xLateral < s[1]) ? ApplianceClass.LaneMarking
                    : Math.Abs(xLateral) < 3.5 ? ApplianceClass.Road
                    : ApplianceClass.Background;
                Assert.True(expected == mask[x, y], $"pixel ({x}, {y}) at X={xLateral:F4} m, d={d:F2} m: expected {expected}, mask has {mask[x, y]}");
                checkedPixels++;
            }
        }

        Assert.True(checkedPixels > W * H / 3, $"only {checkedPixels} pixels checked");
    }

    [Fact]
    public void Render_FlatRoad_SkyAboveHorizonIsBackground()
    {
        var camera = Camera.Create(W, H, 60f, 0.45f, 1.4f);
        var mask = Render(Frame(camera, 0f, []));
        for (var y = 0; y < (int)camera.HorizonY - 1; y++)
        {
            for (var x = 0; x < W; x++)
            {
                Assert.Equal(ApplianceClass.Background, mask[x, y]);
            }
        }
    }

    [Fact]
    public void Render_SedanDeadAhead_MaskIsItsProjectedSilhouetteWithRoadUnderTheBody()
    {
        var camera = Camera.Create(W, H, 60f, 0.45f, 1.4f);
        const float laneX = 1.75f;
        const float near = 12f;
        var car = new Vehicle(VehicleKind.Sedan, laneX, near, false, Colour.Rgb(200, 30, 30), new SceneRandom(3));
        var mask = Render(Frame(camera, laneX, [car]));

        var f = camera.Focal / near;
        double ScreenX(double u) => camera.CentreX + (u * f);
        double ScreenY(double z) => camera.HorizonY + ((camera.MountHeight - z) * f);

        // The lower body: a rectangle on the near face from clearance to belt, full width.
        var half = car.Width / 2;
        var inside = 0;
        for (var y = (int)Math.Ceiling(ScreenY(car.Belt)); y + 1 <= ScreenY(car.Clearance); y++)
        {
            for (var x = (int)Math.Ceiling(ScreenX(-half)); x + 1 <= ScreenX(half); x++)
            {
                Assert.Equal(ApplianceClass.Vehicle, mask[x, y]);
                inside++;
            }
        }

        Assert.True(inside > 200, $"{inside} body pixels");

        // Nothing outside the silhouette's bounding box (no side faces: the camera is straight behind).
        for (var y = 0; y < H; y++)
        {
            for (var x = 0; x < W; x++)
            {
                var outside = x + 0.5 < ScreenX(-half) || x + 0.5 >= ScreenX(half) || y + 0.5 < ScreenY(car.Height) || y + 0.5 >= ScreenY(0);
                if (outside)
                {
                    Assert.NotEqual(ApplianceClass.Vehicle, mask[x, y]);
                }
            }
        }

        // Between the wheels, under the body, the road shows through.
        var gapY = (int)ScreenY(car.Clearance / 2);
        Assert.Equal(ApplianceClass.Road, mask[(int)camera.CentreX, gapY]);
    }

    [Fact]
    public void Render_PedestrianOnRoad_HeadAndFeetAtTheirProjectedRows()
    {
        var camera = Camera.Create(W, H, 60f, 0.45f, 1.4f);
        var person = new Pedestrian(0f, 10f, walking: false, heading: 0, phase: 0f, new SceneRandom(8));
        var mask = Render(Frame(camera, 0f, [person]));

        var f = camera.Focal / 10f;
        var rows = Enumerable.Range(0, H).Where(y => Enumerable.Range(0, W).Any(x => mask[x, y] == ApplianceClass.Pedestrian)).ToArray();
        Assert.NotEmpty(rows);
        var expectedTop = camera.HorizonY + ((camera.MountHeight - person.Height) * f);
        var expectedBottom = camera.HorizonY + (camera.MountHeight * f);
        Assert.InRange(rows[0], expectedTop - 1, expectedTop + 1);
        Assert.InRange(rows[^1], expectedBottom - 2, expectedBottom);
        Assert.Equal(ApplianceClass.Pedestrian, mask[(int)camera.CentreX, (int)(camera.HorizonY + ((camera.MountHeight - (0.7 * person.Height)) * f))]);
    }

    [Fact]
    public void Render_VehicleBehindNearerVehicle_IsOccludedButStillPartlyVisible()
    {
        var camera = Camera.Create(W, H, 60f, 0.45f, 1.4f);
        var far = new Vehicle(VehicleKind.Truck, 1.75f, 30f, false, Colour.Rgb(200, 200, 200), new SceneRandom(1));
        var nearCar = new Vehicle(VehicleKind.Sedan, 1.75f, 9f, false, Colour.Rgb(20, 20, 160), new SceneRandom(2));
        var alone = Render(Frame(camera, 1.75f, [far]));
        var both = Render(Frame(camera, 1.75f, [far, nearCar]));
        var nearOnly = Render(Frame(camera, 1.75f, [nearCar]));

        var farPixels = 0;
        var hiddenFar = 0;
        for (var i = 0; i < alone.PixelCount; i++)
        {
            if (alone.Pixels[i] == (byte)ApplianceClass.Vehicle)
            {
                farPixels++;
                if (nearOnly.Pixels[i] == (byte)ApplianceClass.Vehicle)
                {
                    hiddenFar++;
                }
            }

            var expectVehicle = alone.Pixels[i] == (byte)ApplianceClass.Vehicle || nearOnly.Pixels[i] == (byte)ApplianceClass.Vehicle;
            Assert.Equal(expectVehicle, both.Pixels[i] == (byte)ApplianceClass.Vehicle);
        }

        Assert.InRange(hiddenFar, 1, farPixels - 1);
    }
}
