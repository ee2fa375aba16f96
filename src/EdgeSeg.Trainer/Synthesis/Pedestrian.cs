using System.Numerics;
using EdgeSeg.Core.Classes;

namespace EdgeSeg.Trainer.Synthesis;

/// <summary>
/// A person on foot standing at (<see cref="X"/>, <see cref="Near"/>): legs, torso, arms, neck and head drawn in the
/// plane facing the camera. Walking people swing their legs and arms with <see cref="Phase"/>; side-on walkers
/// (<see cref="Heading"/> = -1 or 1) spread their stride sideways, people walking towards or away lift their feet.
/// </summary>
internal sealed class Pedestrian : SceneObject
{
    private const int Cls = (int)ApplianceClass.Pedestrian;

    private static readonly Colour[] Skins =
    [
        Colour.Rgb(234, 192, 160), Colour.Rgb(210, 160, 120), Colour.Rgb(160, 110, 76), Colour.Rgb(100, 66, 44),
    ];

    private static readonly Colour[] Clothes =
    [
        Colour.Rgb(30, 32, 40), Colour.Rgb(50, 60, 90), Colour.Rgb(200, 200, 196), Colour.Rgb(150, 30, 36),
        Colour.Rgb(40, 90, 60), Colour.Rgb(200, 160, 60), Colour.Rgb(110, 110, 116), Colour.Rgb(60, 40, 30),
        Colour.Rgb(230, 120, 40), Colour.Rgb(90, 140, 200),
    ];

    public Pedestrian(float x, float near, bool walking, int heading, float phase, SceneRandom random)
    {
        ArgumentNullException.ThrowIfNull(random);
        X = x;
        Near = near;
        Walking = walking;
        Heading = heading;
        Phase = phase;
        Height = random.Range(1.5f, 1.92f);
        Skin = random.Pick(Skins).Vary(random, 0.08f, 0.03f);
        Hair = Colour.Rgb(40, 30, 24).Vary(random, 0.5f, 0.1f);
        Top = random.Pick(Clothes).Vary(random, 0.15f, 0.08f);
        Bottom = random.Pick(Clothes).Vary(random, 0.15f, 0.08f).Scale(0.8f);
        FacingAway = random.Chance(0.5f);
    }

    public float X { get; set; }

    public float Near { get; set; }

    public bool Walking { get; }

    /// <summary>0: walking towards or away from the camera; -1 or 1: walking across to the left or right.</summary>
    public int Heading { get; }

    /// <summary>Gait phase in radians.</summary>
    public float Phase { get; set; }

    public float Height { get; }

    private Colour Skin { get; }

    private Colour Hair { get; }

    private Colour Top { get; }

    private Colour Bottom { get; }

    private bool FacingAway { get; }

    public override float Distance => Near;

    public override void DrawShadow(Canvas canvas, GroundProjection view, Lighting light)
    {
        ArgumentNullException.ThrowIfNull(light);
        if (Near < GroundProjection.NearPlane + 0.3f)
        {
            return;
        }

        GroundShadow(canvas, view, light, X, Near + 0.1f, 0.28f, 0.22f, 0f, 0.6f);
        if (light.ShadowFactor < 0.99f)
        {
            GroundShadow(canvas, view, light, X, Near + 0.1f, 0.2f, 0.2f, Height, light.ShadowFactor);
        }
    }

    public override void Draw(Canvas canvas, GroundProjection view, Lighting light)
    {
        ArgumentNullException.ThrowIfNull(canvas);
        ArgumentNullException.ThrowIfNull(view);
        if (Near < GroundProjection.NearPlane + 0.3f)
        {
            return;
        }

        var s = view.Scale(Near);
        var o = view.Project(X, Near, 0f);
        var h = Height;
        var hip = 0.52f * h;
        var shoulder = 0.81f * h;
        var swing = Walking ? 0.42f * MathF.Sin(Phase) : 0f;
        var side = Heading != 0;
        var shoe = Colour.Rgb(26, 24, 24);

        // Legs: side-on, they scissor; face-on, one foot lifts while the other carries.
        for (var leg = -1; leg <= 1; leg += 2)
        {
            Vector2 top;
            Vector2 foot;
            if (side)
            {
                var a = leg * swing;
                top = new(0.01f * leg, hip);
                foot = new(top.X + (MathF.Sin(a) * hip * Heading), hip - (MathF.Cos(a) * hip));
            }
            else
            {
                var lift = Walking ? MathF.Max(0f, leg * MathF.Sin(Phase)) * 0.07f * h : 0f;
                top = new(0.055f * h * leg, hip);
                foot = new(0.06f * h * leg, lift);
            }

            Limb(canvas, o, s, top, foot, 0.042f * h, Bottom, Bottom.Scale(0.85f));
            Limb(canvas, o, s, foot + new Vector2(side ? 0.03f * Heading : 0f, 0.025f * h), foot, 0.04f * h, shoe, shoe);
        }

        var hipHalf = (side ? 0.06f : 0.09f) * h;
        var shoulderHalf = (side ? 0.075f : 0.125f) * h;
        var torso = canvas.Scratch(4);
        torso[0] = Screen(o, s, -shoulderHalf, shoulder + (0.02f * h));
        torso[1] = Screen(o, s, shoulderHalf, shoulder + (0.02f * h));
        torso[2] = Screen(o, s, hipHalf, hip - (0.04f * h));
        torso[3] = Screen(o, s, -hipHalf, hip - (0.04f * h));
        canvas.FillConvex(torso, Top.Scale(1.05f), Top.Scale(0.88f), Cls, Near);

        for (var arm = -1; arm <= 1; arm += 2)
        {
            Vector2 top;
            Vector2 hand;
            if (side)
            {
                var a = -arm * swing * 0.8f;
                top = new(0f, shoulder);
                hand = new(MathF.Sin(a) * 0.34f * h * Heading, shoulder - (MathF.Cos(a) * 0.34f * h));
            }
            else
            {
                top = new(arm * (shoulderHalf - (0.01f * h)), shoulder);
                hand = new(arm * (shoulderHalf + (0.02f * h)), shoulder - (0.34f * h));
            }

            Limb(canvas, o, s, top, hand, 0.03f * h, Top.Scale(0.95f), Top.Scale(0.8f));
            canvas.FillEllipse(o.X + (hand.X * s), o.Y - (hand.Y * s), 0.022f * h * s, 0.026f * h * s, Skin, Cls, Near);
        }

        Limb(canvas, o, s, new(0f, shoulder), new(0f, 0.87f * h), 0.025f * h, Skin, Skin);
        var headY = 0.925f * h;
        canvas.FillEllipse(o.X, o.Y - (headY * s), 0.052f * h * s, 0.066f * h * s, Skin, Cls, Near);
        var hairDrop = FacingAway && !side ? 0f : 0.025f * h;
        canvas.FillEllipse(o.X + (side ? -0.01f * h * Heading : 0f), o.Y - ((headY + hairDrop) * s), 0.054f * h * s, (0.066f * h - hairDrop) * s, Hair, Cls, Near);
    }

    private static Vector2 Screen(Vector2 o, float s, float u, float z) => new(o.X + (u * s), o.Y - (z * s));

    // A limb as a quad around the segment a-b (body coordinates: u right, z up, metres), half-width w.
    private void Limb(Canvas canvas, Vector2 o, float s, Vector2 a, Vector2 b, float w, Colour top, Colour bottom)
    {
        var dir = b - a;
        var len = dir.Length();
        if (len < 1e-4f)
        {
            return;
        }

        var n = new Vector2(-dir.Y, dir.X) / len * w;
        var p = canvas.Scratch(4);
        p[0] = Screen(o, s, a.X + n.X, a.Y + n.Y);
        p[1] = Screen(o, s, a.X - n.X, a.Y - n.Y);
        p[2] = Screen(o, s, b.X - n.X, b.Y - n.Y);
        p[3] = Screen(o, s, b.X + n.X, b.Y + n.Y);
        canvas.FillConvex(p, top, bottom, Cls, Near);
    }
}
