namespace EdgeSeg.Trainer.Synthesis;

/// <summary>
/// Light for one scene: sky colours, haze, the direction and strength of shadows, and a per-channel tone curve
/// applied to the finished image (how dawn, noon, overcast and dusk differ).
/// </summary>
internal sealed class Lighting
{
    private Lighting(TimeOfDay time, Colour skyTop, Colour skyHorizon, Colour haze, float fog, float shadow,
        float sunX, float sunD, float gainR, float gainG, float gainB, float gamma, float lift)
    {
        Time = time;
        SkyTop = skyTop;
        SkyHorizon = skyHorizon;
        Haze = haze;
        FogDistance = fog;
        ShadowFactor = shadow;
        ShadowX = sunX;
        ShadowD = sunD;
        LutB = Curve(gainB, gamma, lift);
        LutG = Curve(gainG, gamma, lift);
        LutR = Curve(gainR, gamma, lift);
    }

    public TimeOfDay Time { get; }

    public Colour SkyTop { get; }

    public Colour SkyHorizon { get; }

    /// <summary>Colour distant things fade towards.</summary>
    public Colour Haze { get; }

    /// <summary>Distance (m) over which haze reaches 63%.</summary>
    public float FogDistance { get; }

    /// <summary>Brightness multiplier inside a cast shadow (1 = no directional shadows).</summary>
    public float ShadowFactor { get; }

    /// <summary>Lateral shadow offset per metre of caster height.</summary>
    public float ShadowX { get; }

    /// <summary>Along-road shadow offset per metre of caster height.</summary>
    public float ShadowD { get; }

    public byte[] LutB { get; }

    public byte[] LutG { get; }

    public byte[] LutR { get; }

    /// <summary>Lighting for <paramref name="time"/> with random sun azimuth and small variations.</summary>
    public static Lighting Create(TimeOfDay time, SceneRandom random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var azimuth = random.Range(0f, MathF.Tau);
        float elevation;
        Lighting Make(Colour top, Colour horizon, Colour haze, float fog, float shadow, float r, float g, float b, float gamma, float lift)
        {
            // Shadow length per metre of height, capped so that low sun still keeps shadows near their casters.
            var k = MathF.Min(2.2f, MathF.Cos(elevation) / MathF.Sin(elevation));
            var v = 1f + random.Range(-0.08f, 0.08f);
            return new Lighting(time, top.Vary(random, 0.06f, 0.04f), horizon.Vary(random, 0.05f, 0.03f), haze, fog * random.Range(0.7f, 1.4f),
                shadow, k * MathF.Sin(azimuth), k * MathF.Cos(azimuth), r * v, g * v, b * v, gamma, lift);
        }

        switch (time)
        {
            case TimeOfDay.Dawn:
                elevation = random.Range(0.12f, 0.3f);
                return Make(Colour.Rgb(118, 140, 196), Colour.Rgb(250, 196, 158), Colour.Rgb(215, 185, 170), 700f, 0.62f, 1.0f, 0.86f, 0.76f, 1.1f, 6f);
            case TimeOfDay.Noon:
                elevation = random.Range(0.8f, 1.25f);
                return Make(Colour.Rgb(66, 124, 214), Colour.Rgb(178, 206, 236), Colour.Rgb(190, 205, 222), 1400f, 0.5f, 1.06f, 1.05f, 1.04f, 0.95f, 0f);
            case TimeOfDay.Overcast:
                elevation = 1.2f;
                return Make(Colour.Rgb(168, 172, 180), Colour.Rgb(208, 210, 214), Colour.Rgb(196, 198, 202), 600f, 1f, 0.92f, 0.93f, 0.95f, 1.05f, 10f);
            default:
                elevation = random.Range(0.08f, 0.2f);
                return Make(Colour.Rgb(44, 56, 104), Colour.Rgb(236, 146, 92), Colour.Rgb(150, 120, 120), 500f, 0.72f, 0.8f, 0.66f, 0.7f, 1.2f, 4f);
        }
    }

    /// <summary>Applies the tone curve to a BGR image in place.</summary>
    public void Apply(Span<byte> bgr)
    {
        var b = LutB;
        var g = LutG;
        var r = LutR;
        for (var i = 0; i + 2 < bgr.Length; i += 3)
        {
            bgr[i] = b[bgr[i]];
            bgr[i + 1] = g[bgr[i + 1]];
            bgr[i + 2] = r[bgr[i + 2]];
        }
    }

    private static byte[] Curve(float gain, float gamma, float lift)
    {
        var lut = new byte[256];
        for (var v = 0; v < 256; v++)
        {
            var x = MathF.Min(1f, v / 255f * gain);
            lut[v] = Colour.Clamp((255f * MathF.Pow(x, gamma) * (1f - (lift / 255f))) + lift);
        }

        return lut;
    }
}
