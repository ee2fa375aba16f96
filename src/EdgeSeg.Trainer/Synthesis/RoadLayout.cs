namespace EdgeSeg.Trainer.Synthesis;

/// <summary>
/// The cross-section of the road: lanes (the first <see cref="OncomingLanes"/>, on the left, carry oncoming traffic),
/// the paint on each boundary, kerbs, pavements and colours. Lateral positions are metres from the centre line.
/// </summary>
internal sealed record RoadLayout(
    int Lanes,
    float LaneWidth,
    int OncomingLanes,
    LaneLineStyle EdgeLine,
    LaneLineStyle Divider,
    LaneLineStyle CentreLine,
    bool YellowCentre,
    float Wear,
    float DashLength,
    float DashPeriod,
    float PavementWidth,
    float KerbWidth,
    Colour Asphalt,
    Colour Pavement,
    Colour Verge,
    SceneryStyle Style)
{
    /// <summary>Width of the carriageway (all lanes).</summary>
    public float RoadWidth => Lanes * LaneWidth;

    /// <summary>Lateral position of the centre of lane <paramref name="lane"/> (0 = leftmost).</summary>
    public float LaneCentre(int lane) => (-RoadWidth / 2f) + ((lane + 0.5f) * LaneWidth);

    /// <summary>Every painted stripe, left to right.</summary>
    public IReadOnlyList<LanePaint> Paint()
    {
        var white = Colour.Rgb(232, 232, 226);
        var yellow = Colour.Rgb(236, 190, 40);
        var list = new List<LanePaint>();
        var half = RoadWidth / 2f;
        for (var k = 0; k <= Lanes; k++)
        {
            var x = -half + (k * LaneWidth);
            var edge = k == 0 || k == Lanes;
            var centre = !edge && k == OncomingLanes;
            var style = edge ? EdgeLine : centre ? CentreLine : Divider;
            var colour = centre && YellowCentre ? yellow : white;
            switch (style)
            {
                case LaneLineStyle.Solid or LaneLineStyle.Dashed:
                {
                    var w = edge ? 0.15f : 0.13f;
                    var c = edge ? (k == 0 ? x + 0.12f + (w / 2f) : x - 0.12f - (w / 2f)) : x;
                    list.Add(new LanePaint(c - (w / 2f), c + (w / 2f), style == LaneLineStyle.Dashed, colour, list.Count));
                    break;
                }

                case LaneLineStyle.DoubleSolid:
                    list.Add(new LanePaint(x - 0.24f, x - 0.1f, false, colour, list.Count));
                    list.Add(new LanePaint(x + 0.1f, x + 0.24f, false, colour, list.Count));
                    break;
                default:
                    break;
            }
        }

        return list;
    }

    /// <summary>Whether the stripe has paint at absolute distance <paramref name="s"/> (dashes and worn patches).</summary>
    public bool HasPaint(in LanePaint stripe, float s, ulong seed)
    {
        if (stripe.Dashed && PositiveModulo(s, DashPeriod) >= DashLength)
        {
            return false;
        }

        if (Wear <= 0f)
        {
            return true;
        }

        // Worn paint: whole 0.4 m patches missing, more of them the more worn the road.
        var cell = (long)MathF.Floor(s / 0.4f);
        return SceneRandom.HashUnit(seed, (ulong)cell, (ulong)stripe.Id + 101) >= Wear * 0.45f;
    }

    private static float PositiveModulo(float a, float m)
    {
        var r = a % m;
        return r < 0f ? r + m : r;
    }
}
