using EdgeSeg.Core.Classes;

namespace EdgeSeg.Trainer.Synthesis;

/// <summary>A street lamp (pole with an arm over the road) or a sign post. Class background.</summary>
internal sealed class Pole : SceneObject
{
    private const int Cls = (int)ApplianceClass.Background;

    public Pole(float x, float near, bool lamp, Colour sign)
    {
        X = x;
        Near = near;
        Lamp = lamp;
        Sign = sign;
    }

    public float X { get; }

    public float Near { get; }

    public bool Lamp { get; }

    public Colour Sign { get; }

    public override float Distance => Near;

    public override void Draw(Canvas canvas, GroundProjection view, Lighting light)
    {
        ArgumentNullException.ThrowIfNull(canvas);
        ArgumentNullException.ThrowIfNull(view);
        if (Near < GroundProjection.NearPlane + 0.5f)
        {
            return;
        }

        var s = view.Scale(Near);
        var o = view.Project(X, Near, 0f);
        var metal = Colour.Rgb(96, 98, 100);
        var height = Lamp ? 7.5f : 2.6f;
        var p = canvas.Scratch(4);
        var w = (Lamp ? 0.09f : 0.04f) * s;
        p[0] = new(o.X - (w * 0.7f), o.Y - (height * s));
        p[1] = new(o.X + (w * 0.7f), o.Y - (height * s));
        p[2] = new(o.X + w, o.Y);
        p[3] = new(o.X - w, o.Y);
        canvas.FillConvex(p, metal.Scale(1.1f), metal.Scale(0.8f), Cls, Near);
        if (Lamp)
        {
            // The arm reaches towards the road's centre line.
            var arm = -MathF.Sign(X) * 1.8f;
            var a = view.Project(X, Near, height);
            var b = view.Project(X + arm, Near, height + 0.2f);
            var q = canvas.Scratch(4);
            q[0] = new(a.X, a.Y - (0.05f * s));
            q[1] = new(b.X, b.Y - (0.05f * s));
            q[2] = new(b.X, b.Y + (0.07f * s));
            q[3] = new(a.X, a.Y + (0.07f * s));
            canvas.FillConvex(q, metal, metal, Cls, Near);
            canvas.FillEllipse(b.X, b.Y + (0.08f * s), 0.3f * s, 0.09f * s, Colour.Rgb(200, 200, 190), Cls, Near);
        }
        else
        {
            canvas.FillEllipse(o.X, o.Y - (2.35f * s), 0.32f * s, 0.32f * s, Colour.Rgb(236, 236, 236), Cls, Near);
            canvas.FillEllipse(o.X, o.Y - (2.35f * s), 0.27f * s, 0.27f * s, Sign, Cls, Near);
        }
    }
}
