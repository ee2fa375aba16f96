using System.Numerics;
using EdgeSeg.Core.Classes;
using EdgeSeg.Core.Imaging;
using EdgeSeg.Core.Masks;

namespace EdgeSeg.Trainer.Synthesis;

/// <summary>
/// Renders a <see cref="SceneFrame"/> into a BGR image and its exact mask: sky and ground row by row (road, paint,
/// kerbs, pavements, verges), the far skyline and clouds, ground shadows, then objects back to front; finally the
/// tone curve of the light and the sensor's effects, which touch the image only.
/// </summary>
internal static class SceneRenderer
{
    private const int Road = (int)ApplianceClass.Road;
    private const int Marking = (int)ApplianceClass.LaneMarking;
    private const int Background = (int)ApplianceClass.Background;

    /// <summary>Renders <paramref name="frame"/>; the caller owns <paramref name="image"/> and <paramref name="mask"/> (overwritten).</summary>
    public static void Render(SceneFrame frame, ImageBuffer image, Mask mask)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(mask);
        if (image.Width != frame.Camera.Width || image.Height != frame.Camera.Height)
        {
            throw new ArgumentException($"The image is {image.Width}x{image.Height}; the camera renders {frame.Camera.Width}x{frame.Camera.Height}.", nameof(image));
        }

        var view = new GroundProjection(frame.Camera, frame.Road, frame.S0, frame.CameraX);
        var canvas = new Canvas(image, mask);
        view.RowDistance.CopyTo(canvas.RowDepth);
        var skyRows = DrawSky(canvas, view, frame);
        DrawGround(canvas, view, frame);
        DrawSkyline(canvas, frame, skyRows);

        var objects = frame.Objects
            .Where(o => o.Distance < 600f)
            .OrderBy(o => o.Layer)
            .ThenByDescending(o => o.Distance)
            .ToArray();
        foreach (var o in objects)
        {
            o.DrawShadow(canvas, view, frame.Light);
        }

        foreach (var o in objects)
        {
            o.Draw(canvas, view, frame.Light);
        }

        canvas.Commit();
        frame.Light.Apply(image.Pixels);
        SensorEffects.Apply(image, frame.Sensor, frame.NoiseSeed);
    }

    // Returns the number of sky rows at the top (rows above the highest visible ground).
    private static int DrawSky(Canvas canvas, GroundProjection view, SceneFrame frame)
    {
        var rows = 0;
        while (rows < canvas.Height && float.IsPositiveInfinity(view.RowDistance[rows]))
        {
            rows++;
        }

        var light = frame.Light;
        for (var y = 0; y < canvas.Height; y++)
        {
            if (!float.IsPositiveInfinity(view.RowDistance[y]))
            {
                continue;
            }

            // Rows of sky below a crest (rare) take the horizon colour.
            var t = rows > 0 ? MathF.Min(1f, (float)y / rows) : 1f;
            canvas.FillSpan(y, 0f, canvas.Width, light.SkyTop.Lerp(light.SkyHorizon, MathF.Pow(t, 1.6f)), Background);
        }

        return rows;
    }

    private static void DrawGround(Canvas canvas, GroundProjection view, SceneFrame frame)
    {
        var layout = frame.Layout;
        var light = frame.Light;
        var paint = layout.Paint();
        var half = layout.RoadWidth / 2f;
        var kerbOut = half + layout.KerbWidth;
        var paveOut = kerbOut + layout.PavementWidth;
        var kerbColour = Colour.Rgb(168, 166, 160);
        var fade = 1f - (layout.Wear * 0.45f);
        for (var y = 0; y < canvas.Height; y++)
        {
            var d = view.RowDistance[y];
            if (float.IsPositiveInfinity(d))
            {
                continue;
            }

            var s = frame.S0 + d;
            var cx = view.RowCentreX[y];
            var k = view.RowScale[y];
            var haze = 1f - MathF.Exp(-d / light.FogDistance);

            var band = (long)MathF.Floor(s / 3f);
            var verge = layout.Verge.Scale(0.92f + (0.16f * SceneRandom.HashUnit(frame.WorldSeed, (ulong)band, 11))).Lerp(light.Haze, haze);
            canvas.FillSpan(y, 0f, canvas.Width, verge, Background);

            if (layout.PavementWidth > 0f)
            {
                var slab = (s % 1.4f + 1.4f) % 1.4f < 0.07f ? 0.86f : 1f;
                var pave = layout.Pavement.Scale(slab).Lerp(light.Haze, haze);
                canvas.FillSpan(y, cx - (paveOut * k), cx - (kerbOut * k), pave, Background);
                canvas.FillSpan(y, cx + (kerbOut * k), cx + (paveOut * k), pave, Background);
            }

            if (layout.KerbWidth > 0f)
            {
                var kerb = kerbColour.Lerp(light.Haze, haze);
                canvas.FillSpan(y, cx - (kerbOut * k), cx - (half * k), kerb, Background);
                canvas.FillSpan(y, cx + (half * k), cx + (kerbOut * k), kerb, Background);
            }

            var patch = 0.96f + (0.07f * SceneRandom.HashUnit(frame.WorldSeed, (ulong)(long)MathF.Floor(s / 2.2f), 13));
            var asphalt = layout.Asphalt.Scale(patch).Lerp(light.Haze, haze * 0.9f);
            canvas.FillSpan(y, cx - (half * k), cx + (half * k), asphalt, Road);

            // Darker tyre tracks, a quarter of a lane either side of each lane's centre.
            for (var lane = 0; lane < layout.Lanes; lane++)
            {
                var c = layout.LaneCentre(lane);
                canvas.DarkenSpan(y, cx + ((c - 1.05f) * k), cx + ((c - 0.45f) * k), 0.9f);
                canvas.DarkenSpan(y, cx + ((c + 0.45f) * k), cx + ((c + 1.05f) * k), 0.9f);
            }

            foreach (var stripe in paint)
            {
                if (layout.HasPaint(stripe, s, frame.WorldSeed))
                {
                    var colour = stripe.Colour.Lerp(light.Haze, haze * 0.8f);
                    canvas.FillSpan(y, cx + (stripe.Left * k), cx + (stripe.Right * k), colour, Marking, fade);
                }
            }
        }
    }

    // Distant hills, tree lines or a city skyline standing on the far ground, and a few clouds.
    private static void DrawSkyline(Canvas canvas, SceneFrame frame, int skyRows)
    {
        if (skyRows <= 0)
        {
            return;
        }

        var light = frame.Light;
        var random = SceneRandom.For(frame.WorldSeed, 17);
        var h = canvas.Height;
        if (light.Time != TimeOfDay.Overcast || random.Chance(0.5f))
        {
            var clouds = random.Int(2, 8);
            for (var i = 0; i < clouds; i++)
            {
                var cy = random.Range(0f, skyRows * 0.7f);
                var shift = (frame.S0 * 0.02f) % canvas.Width;
                var cx = ((random.Range(0f, canvas.Width * 1.4f) - shift) % (canvas.Width * 1.4f)) - (canvas.Width * 0.2f);
                var rx = random.Range(0.05f, 0.2f) * canvas.Width;
                var cloud = Colour.Rgb(245, 245, 248).Lerp(light.SkyHorizon, 0.3f);
                canvas.FillEllipse(cx, cy, rx, rx * random.Range(0.12f, 0.3f), cloud, Canvas.KeepClass, 1e7f, random.Range(0.25f, 0.6f));
            }
        }

        var urban = frame.Layout.Style == SceneryStyle.Urban;
        var baseY = skyRows + 0.5f;
        var far = (urban ? Colour.Rgb(120, 124, 136) : Colour.Rgb(70, 96, 70)).Lerp(light.Haze, 0.55f);
        var step = Math.Max(4, canvas.Width / 80);
        var p = canvas.Scratch(4);
        var drift = frame.S0 * 0.01f;
        for (var x = 0; x < canvas.Width; x += step)
        {
            float Height(float at)
            {
                var u = (at / canvas.Width * 7f) + drift;
                var cell = (long)MathF.Floor(u);
                var f = u - cell;
                var a = SceneRandom.HashUnit(frame.WorldSeed, (ulong)cell, 19);
                var b = SceneRandom.HashUnit(frame.WorldSeed, (ulong)(cell + 1), 19);
                var smooth = a + ((b - a) * f * f * (3f - (2f * f)));
                return urban
                    ? (0.02f + (0.07f * SceneRandom.HashUnit(frame.WorldSeed, (ulong)(long)MathF.Floor(u * 4f), 23))) * h
                    : (0.01f + (0.05f * smooth)) * h;
            }

            var h0 = Height(x);
            var h1 = urban ? h0 : Height(x + step);
            p[0] = new Vector2(x, baseY);
            p[1] = new Vector2(x + step, baseY);
            p[2] = new Vector2(x + step, baseY - h1);
            p[3] = new Vector2(x, baseY - h0);
            canvas.FillConvex(p, far.Scale(1.05f), far.Lerp(light.Haze, 0.3f), Background, 1e6f);
        }
    }
}
