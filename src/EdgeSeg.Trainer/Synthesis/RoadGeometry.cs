namespace EdgeSeg.Trainer.Synthesis;

/// <summary>
/// The road's centre line as a function of absolute distance s along it: curvature and elevation are each a sum of
/// two sinusoids, so the lateral offset and height seen from any position have closed forms (small-angle model:
/// lateral offset is the integral of heading). The camera's heading and pitch follow the road at the camera.
/// </summary>
internal sealed record RoadGeometry(
    float CurveAmplitude1, float CurveWavelength1, float CurvePhase1,
    float CurveAmplitude2, float CurveWavelength2, float CurvePhase2,
    float HillAmplitude1, float HillWavelength1, float HillPhase1,
    float HillAmplitude2, float HillWavelength2, float HillPhase2)
{
    /// <summary>A straight, flat road.</summary>
    public static RoadGeometry Straight { get; } = new(0, 1000, 0, 0, 1000, 0, 0, 1000, 0, 0, 1000, 0);

    /// <summary>Random curves (radius down to about 250 m) and hills (a few metres over a few hundred).</summary>
    public static RoadGeometry Random(SceneRandom random, float curviness, float hilliness) => new(
        curviness * random.Range(-1f / 250f, 1f / 250f), random.Range(250f, 700f), random.Range(0f, MathF.Tau),
        curviness * random.Range(-1f / 700f, 1f / 700f), random.Range(120f, 300f), random.Range(0f, MathF.Tau),
        hilliness * random.Range(1f, 7f), random.Range(300f, 700f), random.Range(0f, MathF.Tau),
        hilliness * random.Range(0f, 2f), random.Range(120f, 250f), random.Range(0f, MathF.Tau));

    /// <summary>Lateral offset (metres, positive right) of the centre line at distance d ahead of a camera at s0.</summary>
    public float Lateral(float s0, float d) =>
        LateralTerm(CurveAmplitude1, CurveWavelength1, CurvePhase1, s0, d) + LateralTerm(CurveAmplitude2, CurveWavelength2, CurvePhase2, s0, d);

    /// <summary>Height (metres) of the road at distance d above the camera's local road plane at s0.</summary>
    public float Height(float s0, float d) =>
        HeightTerm(HillAmplitude1, HillWavelength1, HillPhase1, s0, d) + HeightTerm(HillAmplitude2, HillWavelength2, HillPhase2, s0, d);

    // Curvature k(s) = A sin(w s + p); heading th(s) = -(A / w) cos(w s + p); lateral = integral of (th(s0 + u) - th(s0)).
    private static float LateralTerm(float a, float wavelength, float phase, float s0, float d)
    {
        if (a == 0f)
        {
            return 0f;
        }

        var w = MathF.Tau / wavelength;
        var p0 = (w * (s0 % wavelength)) + phase;
        var p1 = p0 + (w * d);
        return (-a / (w * w) * (MathF.Sin(p1) - MathF.Sin(p0))) + (a / w * MathF.Cos(p0) * d);
    }

    // Elevation e(s) = A sin(w s + p); height relative to the tangent plane at s0.
    private static float HeightTerm(float a, float wavelength, float phase, float s0, float d)
    {
        if (a == 0f)
        {
            return 0f;
        }

        var w = MathF.Tau / wavelength;
        var p0 = (w * (s0 % wavelength)) + phase;
        return a * (MathF.Sin(p0 + (w * d)) - MathF.Sin(p0) - (w * d * MathF.Cos(p0)));
    }
}
