using System.Numerics;

namespace EdgeSeg.Trainer.Synthesis;

/// <summary>
/// Something standing on the road or beside it, placed in road coordinates. Objects are drawn back to front:
/// first every <see cref="Layer"/> 0 object (facades, which lie behind everything nearer the road), then the rest,
/// each layer from the farthest <see cref="Distance"/> to the nearest.
/// </summary>
internal abstract class SceneObject
{
    /// <summary>Distance along the road of the object's nearest face (metres ahead of the camera).</summary>
    public abstract float Distance { get; }

    /// <summary>Draw order group: 0 for facades, 1 for everything else.</summary>
    public virtual int Layer => 1;

    /// <summary>Darkens the ground where this object casts a shadow.</summary>
    public virtual void DrawShadow(Canvas canvas, GroundProjection view, Lighting light)
    {
    }

    /// <summary>Draws the object into the image and the mask.</summary>
    public abstract void Draw(Canvas canvas, GroundProjection view, Lighting light);

    /// <summary>Fills a quad given in road coordinates (x, d, z per corner).</summary>
    protected static void Quad(Canvas canvas, GroundProjection view, Vector3 a, Vector3 b, Vector3 c, Vector3 d,
        Colour top, Colour bottom, int cls, float depth)
    {
        var p = canvas.Scratch(4);
        p[0] = view.Project(a.X, a.Y, a.Z);
        p[1] = view.Project(b.X, b.Y, b.Z);
        p[2] = view.Project(c.X, c.Y, c.Z);
        p[3] = view.Project(d.X, d.Y, d.Z);
        canvas.FillConvex(p, top, bottom, cls, depth);
    }

    /// <summary>Darkens a ground polygon around (x, d) with half extents, shifted by the sun for a caster of the given height.</summary>
    protected static void GroundShadow(Canvas canvas, GroundProjection view, Lighting light, float x, float d,
        float halfX, float halfD, float height, float factor)
    {
        var ox = light.ShadowX * height * 0.5f;
        var od = light.ShadowD * height * 0.5f;
        var p = canvas.Scratch(8);
        var near = float.MaxValue;
        var far = 0f;
        for (var i = 0; i < 8; i++)
        {
            // An octagon: soft enough for a contact shadow, cheap to fill as one convex polygon.
            var angle = (i + 0.5f) * MathF.PI / 4f;
            var dx = MathF.Cos(angle) * halfX * 1.08f;
            var dd = MathF.Sin(angle) * halfD * 1.08f;
            var gd = MathF.Max(GroundProjection.NearPlane, d + od + dd);
            p[i] = view.Project(x + ox + dx, gd, 0f);
            near = MathF.Min(near, gd);
            far = MathF.Max(far, gd);
        }

        canvas.DarkenGround(p, factor, near, far);
    }
}
