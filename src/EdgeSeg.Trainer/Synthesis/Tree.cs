using EdgeSeg.Core.Classes;

namespace EdgeSeg.Trainer.Synthesis;

/// <summary>A roadside tree (broadleaf or conifer), or a bush when the trunk is zero. Class background.</summary>
internal sealed class Tree : SceneObject
{
    private const int Cls = (int)ApplianceClass.Background;

    public Tree(float x, float near, float trunk, float crown, bool conifer, SceneRandom random)
    {
        ArgumentNullException.ThrowIfNull(random);
        X = x;
        Near = near;
        Trunk = trunk;
        Crown = crown;
        Conifer = conifer;
        Leaves = (conifer ? Colour.Rgb(36, 70, 40) : Colour.Rgb(64, 104, 46)).Vary(random, 0.25f, 0.1f);
        Bark = Colour.Rgb(70, 56, 44).Vary(random, 0.2f, 0.05f);
        Offset = random.Range(-0.3f, 0.3f);
    }

    public float X { get; }

    public float Near { get; }

    public float Trunk { get; }

    public float Crown { get; }

    public bool Conifer { get; }

    private Colour Leaves { get; }

    private Colour Bark { get; }

    private float Offset { get; }

    public override float Distance => Near;

    public override void DrawShadow(Canvas canvas, GroundProjection view, Lighting light)
    {
        ArgumentNullException.ThrowIfNull(light);
        if (light.ShadowFactor < 0.99f && Near > GroundProjection.NearPlane + 1f)
        {
            var h = Trunk + Crown;
            GroundShadow(canvas, view, light, X, Near, Crown, Crown, h, (light.ShadowFactor + 1f) / 2f);
        }
    }

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
        if (Trunk > 0f)
        {
            var p = canvas.Scratch(4);
            var w = 0.16f * s;
            p[0] = new(o.X - (w * 0.7f), o.Y - ((Trunk + (Crown * 0.6f)) * s));
            p[1] = new(o.X + (w * 0.7f), o.Y - ((Trunk + (Crown * 0.6f)) * s));
            p[2] = new(o.X + w, o.Y);
            p[3] = new(o.X - w, o.Y);
            canvas.FillConvex(p, Bark, Bark.Scale(0.8f), Cls, Near);
        }

        if (Conifer)
        {
            var p = canvas.Scratch(3);
            p[0] = new(o.X, o.Y - ((Trunk + (Crown * 3.2f)) * s));
            p[1] = new(o.X + (Crown * s), o.Y - (Trunk * 0.6f * s));
            p[2] = new(o.X - (Crown * s), o.Y - (Trunk * 0.6f * s));
            canvas.FillConvex(p, Leaves.Scale(1.1f), Leaves.Scale(0.75f), Cls, Near);
            return;
        }

        var cy = o.Y - ((Trunk + (Crown * 0.85f)) * s);
        var r = Crown * s;
        canvas.FillEllipse(o.X, cy, r, r * 0.9f, Leaves.Scale(0.8f), Cls, Near);
        canvas.FillEllipse(o.X + (Offset * r), cy - (0.25f * r), r * 0.75f, r * 0.65f, Leaves, Cls, Near);
        canvas.FillEllipse(o.X - (Offset * r * 0.8f), cy - (0.45f * r), r * 0.45f, r * 0.4f, Leaves.Scale(1.18f), Cls, Near);
    }
}
