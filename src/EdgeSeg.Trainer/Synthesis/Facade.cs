namespace EdgeSeg.Trainer.Synthesis;

/// <summary>
/// A wall running along the road at lateral position <see cref="X"/> from distance <see cref="Near"/> to
/// <see cref="Far"/>: a building front with windows and its end wall, or a hedge. Class background.
/// </summary>
internal sealed class Facade : SceneObject
{
    public Facade(float x, float near, float far, float height, Colour colour, bool building, bool shopfront, SceneRandom random)
    {
        ArgumentNullException.ThrowIfNull(random);
        X = x;
        Near = near;
        Far = far;
        Height = height;
        Colour = colour;
        Building = building;
        Shopfront = shopfront;
        WindowSpacing = random.Range(2.4f, 3.6f);
        FloorHeight = random.Range(2.9f, 3.4f);
        WindowWidth = random.Range(0.9f, 1.6f);
        Glass = Colour.Rgb(52, 62, 76).Vary(random, 0.25f, 0.08f);
        Seed = random.NextUInt();
    }

    public float X { get; }

    public float Near { get; }

    public float Far { get; }

    public float Height { get; }

    public Colour Colour { get; }

    /// <summary>True for a building (windows, end wall); false for a hedge or wall.</summary>
    public bool Building { get; }

    public bool Shopfront { get; }

    private float WindowSpacing { get; }

    private float FloorHeight { get; }

    private float WindowWidth { get; }

    private Colour Glass { get; }

    private uint Seed { get; }

    public override int Layer => 0;

    public override float Distance => Near;

    public override void DrawShadow(Canvas canvas, GroundProjection view, Lighting light)
    {
        ArgumentNullException.ThrowIfNull(canvas);
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(light);
        if (light.ShadowFactor >= 0.99f || Far < GroundProjection.NearPlane + 1f)
        {
            return;
        }

        var ox = light.ShadowX * Height;
        var od = light.ShadowD * Height;
        if (MathF.Sign(ox) == MathF.Sign(X))
        {
            return; // The shadow falls behind the wall, away from the road.
        }

        ox = Math.Clamp(ox, -60f, 60f);
        od = Math.Clamp(od, -60f, 60f);
        var near = MathF.Max(GroundProjection.NearPlane + 0.5f, Near);
        var p = canvas.Scratch(4);
        var d0 = near;
        var d1 = Far;
        var d2 = MathF.Max(GroundProjection.NearPlane + 0.5f, Far + od);
        var d3 = MathF.Max(GroundProjection.NearPlane + 0.5f, near + od);
        p[0] = view.Project(X, d0, 0f);
        p[1] = view.Project(X, d1, 0f);
        p[2] = view.Project(X + ox, d2, 0f);
        p[3] = view.Project(X + ox, d3, 0f);
        canvas.DarkenGround(p, light.ShadowFactor, MathF.Min(d0, d3), MathF.Max(d1, d2));
    }

    public override void Draw(Canvas canvas, GroundProjection view, Lighting light)
    {
        ArgumentNullException.ThrowIfNull(canvas);
        ArgumentNullException.ThrowIfNull(view);
        if (Far < GroundProjection.NearPlane + 0.5f)
        {
            return;
        }

        var near = MathF.Max(GroundProjection.NearPlane + 0.5f, Near);
        var outward = MathF.Sign(X);
        if (Building && near == Near)
        {
            var end = Colour.Scale(0.8f);
            Quad(canvas, view, new(X, near, 0f), new(X + (outward * 12f), near, 0f), new(X + (outward * 12f), near, Height), new(X, near, Height), end, end, 0, near);
        }

        Quad(canvas, view, new(X, near, 0f), new(X, Far, 0f), new(X, Far, Height), new(X, near, Height), Colour.Scale(1.04f), Colour.Scale(0.92f), 0, near);
        if (!Building)
        {
            return;
        }

        var cornice = Colour.Scale(0.7f);
        Quad(canvas, view, new(X, near, Height - 0.35f), new(X, Far, Height - 0.35f), new(X, Far, Height), new(X, near, Height), cornice, cornice, 0, near);
        if (Shopfront)
        {
            Quad(canvas, view, new(X, near + 0.6f, 0.3f), new(X, Far - 0.6f, 0.3f), new(X, Far - 0.6f, 2.7f), new(X, near + 0.6f, 2.7f), Glass.Scale(1.3f), Glass.Scale(0.8f), 0, near);
        }

        // Windows: skipped where they would be under about two pixels tall.
        var focal = view.Camera.Focal;
        var lit = Colour.Rgb(236, 200, 120);
        for (var floor = Shopfront ? 1 : 0; ; floor++)
        {
            var z0 = 0.9f + (floor * FloorHeight);
            if (z0 + 1.6f > Height - 0.5f)
            {
                break;
            }

            for (var d = MathF.Ceiling((near + 1f) / WindowSpacing) * WindowSpacing; d + WindowWidth < Far - 0.5f; d += WindowSpacing)
            {
                if (1.5f * focal / d < 2f)
                {
                    break;
                }

                var k = SceneRandom.HashUnit(Seed, (ulong)(d * 10f), (ulong)floor);
                var glass = light is { Time: TimeOfDay.Dusk } && k < 0.3f ? lit : Glass.Scale(0.8f + (0.4f * k));
                Quad(canvas, view, new(X, d, z0), new(X, d + WindowWidth, z0), new(X, d + WindowWidth, z0 + 1.5f), new(X, d, z0 + 1.5f), glass.Scale(1.2f), glass, 0, near);
            }
        }
    }
}
