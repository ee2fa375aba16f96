using System.Numerics;
using EdgeSeg.Core.Classes;

namespace EdgeSeg.Trainer.Synthesis;

/// <summary>
/// A vehicle on the road: a box-and-cabin body whose near face is at <see cref="Near"/> (its rear, or its front when
/// <see cref="Oncoming"/>) and which extends <see cref="Length"/> metres further away. The side facing the camera
/// is drawn when the vehicle is off to one side. Every part (body, glass, wheels, lights, a motorcyclist) is class
/// vehicle; the ground visible under the body between the wheels stays road.
/// </summary>
internal sealed class Vehicle : SceneObject
{
    private const int Cls = (int)ApplianceClass.Vehicle;

    public Vehicle(VehicleKind kind, float x, float near, bool oncoming, Colour body, SceneRandom random)
    {
        ArgumentNullException.ThrowIfNull(random);
        Kind = kind;
        X = x;
        Near = near;
        Oncoming = oncoming;
        Body = body;
        var j = 1f + random.Range(-0.05f, 0.05f);
        (Width, Length, Height, Belt, Clearance) = kind switch
        {
            VehicleKind.Sedan => (1.8f, 4.6f, 1.45f, 0.85f, 0.22f),
            VehicleKind.Hatchback => (1.74f, 4.0f, 1.5f, 0.88f, 0.2f),
            VehicleKind.Suv => (1.92f, 4.8f, 1.78f, 1.05f, 0.3f),
            VehicleKind.Van => (2.0f, 5.3f, 2.35f, 1.1f, 0.3f),
            VehicleKind.Truck => (2.5f, random.Range(7.5f, 12f), 3.6f, 1.1f, 0.55f),
            VehicleKind.Bus => (2.55f, 12f, 3.1f, 1.1f, 0.35f),
            _ => (0.8f, 2.1f, 1.6f, 0.9f, 0.3f),
        };
        Width *= j;
        Height *= 1f + random.Range(-0.05f, 0.05f);
        Glass = Colour.Rgb(38, 46, 56).Vary(random, 0.2f, 0.05f);
        Detail = kind == VehicleKind.Truck
            ? random.Pick(CargoColours).Vary(random, 0.1f, 0.05f)
            : random.Pick(JacketColours).Vary(random, 0.15f, 0.05f);
    }

    /// <summary>Body colours of ordinary traffic (white, silver and black are the most common).</summary>
    public static IReadOnlyList<Colour> Paints { get; } =
    [
        Colour.Rgb(232, 232, 230), Colour.Rgb(236, 236, 240), Colour.Rgb(168, 170, 174), Colour.Rgb(140, 142, 146),
        Colour.Rgb(28, 28, 30), Colour.Rgb(48, 50, 54), Colour.Rgb(70, 72, 78), Colour.Rgb(160, 24, 28),
        Colour.Rgb(24, 48, 120), Colour.Rgb(40, 80, 150), Colour.Rgb(20, 70, 40), Colour.Rgb(210, 170, 30),
        Colour.Rgb(120, 70, 40), Colour.Rgb(200, 90, 30),
    ];

    private static readonly Colour[] CargoColours =
    [
        Colour.Rgb(230, 230, 228), Colour.Rgb(200, 60, 40), Colour.Rgb(40, 90, 160), Colour.Rgb(220, 200, 80),
        Colour.Rgb(120, 124, 128),
    ];

    private static readonly Colour[] JacketColours =
    [
        Colour.Rgb(30, 30, 34), Colour.Rgb(150, 30, 30), Colour.Rgb(40, 60, 120), Colour.Rgb(220, 220, 210),
    ];

    public VehicleKind Kind { get; }

    /// <summary>Lateral centre (metres from the road's centre line).</summary>
    public float X { get; set; }

    /// <summary>Distance of the near face.</summary>
    public float Near { get; set; }

    public bool Oncoming { get; }

    public Colour Body { get; }

    public float Width { get; }

    public float Length { get; }

    public float Height { get; }

    public float Belt { get; }

    public float Clearance { get; }

    private Colour Glass { get; }

    private Colour Detail { get; }

    public override float Distance => Near;

    private bool IsBox => Kind is VehicleKind.Van or VehicleKind.Truck or VehicleKind.Bus;

    public override void DrawShadow(Canvas canvas, GroundProjection view, Lighting light)
    {
        ArgumentNullException.ThrowIfNull(light);
        if (Near < GroundProjection.NearPlane + 0.3f)
        {
            return;
        }

        var mid = Near + (Length / 2f);
        GroundShadow(canvas, view, light, X, mid, (Width / 2f) + 0.1f, (Length / 2f) + 0.15f, 0f, 0.45f);
        if (light.ShadowFactor < 0.99f)
        {
            GroundShadow(canvas, view, light, X, mid, Width / 2f, Length / 2f, Height, light.ShadowFactor);
        }
    }

    public override void Draw(Canvas canvas, GroundProjection view, Lighting light)
    {
        ArgumentNullException.ThrowIfNull(canvas);
        ArgumentNullException.ThrowIfNull(view);

        // A vehicle passing beside the camera: its near face is behind the near plane, the side still shows.
        var clipped = Near < GroundProjection.NearPlane + 0.3f;
        if (clipped && (Kind == VehicleKind.Motorcycle || Near + Length < GroundProjection.NearPlane + 1.5f))
        {
            return;
        }

        var d0 = MathF.Max(Near, GroundProjection.NearPlane + 0.3f);
        if (Kind != VehicleKind.Motorcycle)
        {
            var left = X - (Width / 2f);
            var right = X + (Width / 2f);
            if (left > view.CameraX + 0.05f)
            {
                DrawSide(canvas, view, left, -1f, d0);
            }
            else if (right < view.CameraX - 0.05f)
            {
                DrawSide(canvas, view, right, 1f, d0);
            }
        }

        if (!clipped)
        {
            DrawNearFace(canvas, view);
        }
    }

    private void DrawSide(Canvas canvas, GroundProjection view, float xs, float outward, float d0)
    {
        var d1 = Near + Length;
        var side = Body.Scale(0.74f);
        if (IsBox)
        {
            var sideColour = Kind == VehicleKind.Truck ? Detail.Scale(0.76f) : side;
            Quad(canvas, view, new(xs, d0, Clearance), new(xs, d1, Clearance), new(xs, d1, Height), new(xs, d0, Height), sideColour.Scale(1.08f), sideColour, Cls, d0);
            if (Kind == VehicleKind.Bus)
            {
                Quad(canvas, view, new(xs, d0 + 0.4f, Height - 1.25f), new(xs, d1 - 0.3f, Height - 1.25f), new(xs, d1 - 0.3f, Height - 0.3f), new(xs, d0 + 0.4f, Height - 0.3f), Glass.Scale(1.3f), Glass, Cls, d0);
            }
            else if (Kind == VehicleKind.Truck)
            {
                // The cab, a little lower than the box, at the front end.
                var cabNear = Oncoming ? d0 : MathF.Max(d0, d1 - 2.2f);
                var cab = Body.Scale(0.8f);
                Quad(canvas, view, new(xs, cabNear, Clearance), new(xs, cabNear + 2.2f, Clearance), new(xs, cabNear + 2.2f, Height - 0.5f), new(xs, cabNear, Height - 0.5f), cab, cab, Cls, d0);
            }
        }
        else
        {
            Quad(canvas, view, new(xs, d0, Clearance), new(xs, d1, Clearance), new(xs, d1, Belt), new(xs, d0, Belt), side.Scale(1.1f), side.Scale(0.9f), Cls, d0);
            var cabinX = X + (outward * Width * 0.42f);
            var nearOverhang = Oncoming ? Length * 0.3f : Length * 0.2f;
            var farOverhang = Oncoming ? Length * 0.2f : Length * 0.3f;
            var c0 = MathF.Max(d0, Near + nearOverhang);
            var c1 = d1 - farOverhang;
            Quad(canvas, view, new(cabinX, c0 - 0.1f, Belt), new(cabinX, c1 + 0.1f, Belt), new(cabinX, c1 - 0.35f, Height), new(cabinX, c0 + 0.3f, Height), side, side, Cls, d0);
            Quad(canvas, view, new(cabinX, c0 + 0.12f, Belt + 0.06f), new(cabinX, c1 - 0.05f, Belt + 0.06f), new(cabinX, c1 - 0.38f, Height - 0.07f), new(cabinX, c0 + 0.38f, Height - 0.07f), Glass.Scale(1.4f), Glass, Cls, d0);
        }

        var r = Kind is VehicleKind.Truck or VehicleKind.Bus ? 0.5f : 0.33f;
        Wheel(canvas, view, xs, Near + (Length * 0.17f), r, d0);
        Wheel(canvas, view, xs, d1 - (Length * 0.18f), r, d0);
    }

    private static void Wheel(Canvas canvas, GroundProjection view, float xs, float d, float r, float depth)
    {
        if (d - r < depth)
        {
            return;
        }

        var front = view.Project(xs, d - r, r);
        var back = view.Project(xs, d + r, r);
        var centre = view.Project(xs, d, r);
        var rx = MathF.Abs(front.X - back.X) / 2f;
        var ry = r * view.Scale(d);
        canvas.FillEllipse(centre.X, centre.Y, rx, ry, Colour.Rgb(22, 22, 24), Cls, depth);
        canvas.FillEllipse(centre.X, centre.Y, rx * 0.55f, ry * 0.55f, Colour.Rgb(120, 120, 124), Cls, depth);
    }

    private void DrawNearFace(Canvas canvas, GroundProjection view)
    {
        var s = view.Scale(Near);
        var o = view.Project(X, Near, 0f);
        var tyre = Colour.Rgb(20, 20, 22);
        var half = Width / 2f;
        if (Kind == VehicleKind.Motorcycle)
        {
            Rect(canvas, o, s, -0.07f, 0.07f, 0f, 0.64f, tyre, tyre);
            canvas.FillEllipse(o.X, o.Y - (0.78f * s), 0.3f * s, 0.2f * s, Body, Cls, Near);
            Rect(canvas, o, s, -0.06f, 0.06f, 0.62f, 0.7f, Oncoming ? Colour.Rgb(245, 245, 225) : Colour.Rgb(210, 30, 30), Colour.Rgb(200, 30, 30));
            Trapezoid(canvas, o, s, 0.2f, 0.88f, 0.18f, 1.42f, Detail, Detail.Scale(0.85f));
            canvas.FillEllipse(o.X, o.Y - (1.56f * s), 0.14f * s, 0.15f * s, Body.Scale(0.9f), Cls, Near);
            return;
        }

        // Wheels first: the body's lower edge is drawn over their tops.
        Rect(canvas, o, s, -half + 0.04f, -half + 0.3f, 0f, Clearance + 0.18f, tyre, tyre);
        Rect(canvas, o, s, half - 0.3f, half - 0.04f, 0f, Clearance + 0.18f, tyre, tyre);
        if (IsBox)
        {
            var face = Kind == VehicleKind.Truck && !Oncoming ? Detail : Body;
            Rect(canvas, o, s, -half, half, Clearance, Height, face.Scale(1.05f), face.Scale(0.9f));
            if (Oncoming || Kind != VehicleKind.Truck)
            {
                var top = Height - 0.18f;
                var bottom = Oncoming ? Height * 0.55f : Kind == VehicleKind.Bus ? Height - 1.3f : Belt + 0.15f;
                Rect(canvas, o, s, -half + 0.12f, half - 0.12f, bottom, top, Glass.Scale(1.5f), Glass);
                if (Kind == VehicleKind.Van && !Oncoming)
                {
                    Rect(canvas, o, s, -0.03f, 0.03f, Belt, Height, face, face);
                }
            }
            else
            {
                // Rear doors of a box truck: a seam and a bumper bar.
                Rect(canvas, o, s, -0.025f, 0.025f, Clearance + 0.2f, Height - 0.1f, face.Scale(0.6f), face.Scale(0.6f));
                Rect(canvas, o, s, -half + 0.05f, half - 0.05f, Clearance - 0.1f, Clearance + 0.05f, Colour.Rgb(40, 40, 40), Colour.Rgb(40, 40, 40));
            }
        }
        else
        {
            Rect(canvas, o, s, -half, half, Clearance, Belt, Body.Scale(1.04f), Body.Scale(0.86f));
            Trapezoid(canvas, o, s, half * 0.94f, Belt, half * 0.74f, Height, Body.Scale(0.95f), Body.Scale(1.02f));
            Trapezoid(canvas, o, s, half * 0.84f, Belt + 0.05f, half * 0.67f, Height - 0.07f, Glass.Scale(1.6f), Glass);
        }

        var bumper = Kind is VehicleKind.Truck or VehicleKind.Bus ? Colour.Rgb(36, 36, 38) : Body.Scale(0.55f);
        Rect(canvas, o, s, -half + 0.02f, half - 0.02f, Clearance, Clearance + 0.16f, bumper, bumper);
        Rect(canvas, o, s, -0.26f, 0.26f, Clearance + 0.2f, Clearance + 0.32f, Colour.Rgb(236, 236, 226), Colour.Rgb(220, 220, 210));
        var lampTop = (IsBox ? Clearance + 0.55f : Belt - 0.06f);
        var lamp = Oncoming ? Colour.Rgb(246, 246, 232) : Colour.Rgb(196, 24, 24);
        Rect(canvas, o, s, -half + 0.06f, -half + 0.36f, lampTop - 0.16f, lampTop, lamp, lamp.Scale(0.85f));
        Rect(canvas, o, s, half - 0.36f, half - 0.06f, lampTop - 0.16f, lampTop, lamp, lamp.Scale(0.85f));
        if (Oncoming && !IsBox)
        {
            var grille = Colour.Rgb(30, 30, 32);
            Rect(canvas, o, s, -0.4f, 0.4f, lampTop - 0.18f, lampTop - 0.02f, grille, grille);
        }
    }

    private void Rect(Canvas canvas, Vector2 o, float s, float u0, float u1, float z0, float z1, Colour top, Colour bottom)
    {
        var p = canvas.Scratch(4);
        p[0] = new(o.X + (u0 * s), o.Y - (z1 * s));
        p[1] = new(o.X + (u1 * s), o.Y - (z1 * s));
        p[2] = new(o.X + (u1 * s), o.Y - (z0 * s));
        p[3] = new(o.X + (u0 * s), o.Y - (z0 * s));
        canvas.FillConvex(p, top, bottom, Cls, Near);
    }

    private void Trapezoid(Canvas canvas, Vector2 o, float s, float halfBottom, float z0, float halfTop, float z1, Colour top, Colour bottom)
    {
        var p = canvas.Scratch(4);
        p[0] = new(o.X - (halfTop * s), o.Y - (z1 * s));
        p[1] = new(o.X + (halfTop * s), o.Y - (z1 * s));
        p[2] = new(o.X + (halfBottom * s), o.Y - (z0 * s));
        p[3] = new(o.X - (halfBottom * s), o.Y - (z0 * s));
        canvas.FillConvex(p, top, bottom, Cls, Near);
    }
}
