namespace EdgeSeg.Trainer.Synthesis;

/// <summary>
/// Random single scenes for a dataset: each index gets its own road, light, traffic, people and camera, all drawn
/// from (seed, index), so any image can be re-rendered alone and a dataset is the same on every machine.
/// </summary>
internal static class StillSceneGenerator
{
    private static readonly VehicleKind[] Kinds =
    [
        VehicleKind.Sedan, VehicleKind.Sedan, VehicleKind.Sedan, VehicleKind.Hatchback, VehicleKind.Hatchback,
        VehicleKind.Suv, VehicleKind.Suv, VehicleKind.Van, VehicleKind.Truck, VehicleKind.Bus, VehicleKind.Motorcycle,
    ];

    /// <summary>The scene of image <paramref name="index"/> of a dataset rendered with <paramref name="seed"/>.</summary>
    public static SceneFrame Create(ulong seed, int index, int width, int height)
    {
        var random = SceneRandom.For(seed, (ulong)index, 1);
        var camera = Camera.Create(width, height, random.Range(52f, 78f), random.Range(0.4f, 0.55f), random.Range(1.15f, 1.7f));
        var layout = RandomLayout(random);
        var road = RoadGeometry.Random(random, random.Chance(0.35f) ? 0f : random.Range(0.3f, 1f), random.Chance(0.4f) ? 0f : random.Range(0.2f, 1f));
        var time = (TimeOfDay)random.Int(0, 4);
        var light = Lighting.Create(time, random);
        var s0 = random.Range(0f, 100000f);
        var egoLane = random.Int(layout.OncomingLanes, layout.Lanes);
        var cameraX = layout.LaneCentre(egoLane) + random.Range(-0.6f, 0.6f);
        var worldSeed = SceneRandom.Hash(seed, (ulong)index, 2);

        var objects = new List<SceneObject>();
        Scenery.Populate(objects, layout, worldSeed, s0, 300f, random.Range(0f, 1000f));
        AddTraffic(objects, layout, random, egoLane);
        AddCrossingPeople(objects, layout, random);

        var sensor = new SensorSettings(
            NoiseSigma: random.Range(0.5f, 6f),
            BlurPasses: random.Chance(0.5f) ? 0 : random.Chance(0.7f) ? 1 : 2,
            MotionBlur: random.Chance(0.15f) ? random.Int(2, 5) : 0,
            JpegQuality: random.Chance(0.35f) ? random.Int(30, 85) : 0,
            Vignette: random.Range(0f, 0.35f));
        return new SceneFrame(camera, road, layout, s0, cameraX, light, objects, sensor, worldSeed, SceneRandom.Hash(seed, (ulong)index, 4));
    }

    /// <summary>A random cross-section: one to five lanes, paint styles, wear, pavements and surroundings.</summary>
    public static RoadLayout RandomLayout(SceneRandom random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var style = (SceneryStyle)random.Int(0, 3);
        var lanes = random.Int(2, 6);
        var oncoming = random.Chance(0.25f) ? 0 : Math.Max(1, lanes / 2);
        if (lanes == 5)
        {
            oncoming = random.Chance(0.5f) ? 2 : 0;
        }

        var rural = style == SceneryStyle.Rural;
        return new RoadLayout(
            Lanes: lanes,
            LaneWidth: random.Range(3.0f, 3.8f),
            OncomingLanes: oncoming,
            EdgeLine: random.Chance(rural ? 0.85f : 0.6f) ? LaneLineStyle.Solid : LaneLineStyle.None,
            Divider: random.Chance(0.8f) ? LaneLineStyle.Dashed : LaneLineStyle.Solid,
            CentreLine: random.Chance(0.4f) ? LaneLineStyle.DoubleSolid : random.Chance(0.6f) ? LaneLineStyle.Dashed : LaneLineStyle.Solid,
            YellowCentre: random.Chance(0.3f),
            Wear: random.Chance(0.4f) ? random.Range(0.2f, 1f) : 0f,
            DashLength: random.Range(2.5f, 4.5f),
            DashPeriod: random.Range(8f, 13f),
            PavementWidth: rural ? 0f : random.Range(1.8f, 4.5f),
            KerbWidth: rural ? 0f : random.Range(0.15f, 0.3f),
            Asphalt: Colour.Rgb(92, 92, 96).Vary(random, 0.22f, 0.03f),
            Pavement: Colour.Rgb(172, 166, 156).Vary(random, 0.12f, 0.04f),
            Verge: (rural || random.Chance(0.5f) ? Colour.Rgb(88, 118, 58) : Colour.Rgb(150, 146, 138)).Vary(random, 0.15f, 0.06f),
            Style: style);
    }

    /// <summary>A vehicle of a random kind and colour.</summary>
    public static Vehicle RandomVehicle(SceneRandom random, float x, float near, bool oncoming)
    {
        ArgumentNullException.ThrowIfNull(random);
        var kind = random.Pick(Kinds);
        var paint = kind == VehicleKind.Bus ? Colour.Rgb(200, 40, 36) : random.Pick(Vehicle.Paints);
        return new Vehicle(kind, x, near, oncoming, paint.Vary(random, 0.1f, 0.04f), random);
    }

    private static void AddTraffic(List<SceneObject> objects, RoadLayout layout, SceneRandom random, int egoLane)
    {
        for (var lane = 0; lane < layout.Lanes; lane++)
        {
            var oncoming = lane < layout.OncomingLanes;
            var d = lane == egoLane ? random.Range(6f, 25f) : random.Range(2.5f, 18f);
            var count = random.Int(0, 4);
            for (var i = 0; i < count && d < 160f; i++)
            {
                var v = RandomVehicle(random, layout.LaneCentre(lane) + random.Range(-0.35f, 0.35f), d, oncoming);
                objects.Add(v);
                d += v.Length + random.Range(3f, 45f);
            }
        }

        // Parked cars along the kerb.
        if (layout.PavementWidth > 0f && random.Chance(0.3f))
        {
            var x = (layout.RoadWidth / 2f) + 1.1f;
            var d = random.Range(4f, 30f);
            for (var i = random.Int(1, 5); i > 0; i--)
            {
                var v = RandomVehicle(random, x, d, false);
                if (v.Kind is VehicleKind.Sedan or VehicleKind.Hatchback or VehicleKind.Suv or VehicleKind.Van)
                {
                    objects.Add(v);
                }

                d += v.Length + random.Range(1f, 6f);
            }
        }
    }

    private static void AddCrossingPeople(List<SceneObject> objects, RoadLayout layout, SceneRandom random)
    {
        var count = random.Chance(0.35f) ? random.Int(1, 5) : 0;
        var half = layout.RoadWidth / 2f;
        for (var i = 0; i < count; i++)
        {
            var heading = random.Chance(0.5f) ? -1 : 1;
            objects.Add(new Pedestrian(random.Range(-half, half + 2f), random.Range(6f, 45f), random.Chance(0.8f), heading, random.Range(0f, MathF.Tau), random));
        }

        // A few people close to the camera on the pavement so every batch has large, detailed pedestrians.
        if (layout.PavementWidth > 0f && random.Chance(0.4f))
        {
            var side = random.Chance(0.5f) ? -1 : 1;
            objects.Add(new Pedestrian(side * (half + layout.KerbWidth + random.Range(0.4f, layout.PavementWidth)), random.Range(4f, 14f), random.Chance(0.5f), 0, random.Range(0f, MathF.Tau), random));
        }
    }
}
