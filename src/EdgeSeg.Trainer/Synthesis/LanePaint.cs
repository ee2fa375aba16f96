namespace EdgeSeg.Trainer.Synthesis;

/// <summary>One painted stripe running along the road: lateral extent in metres from the centre line.</summary>
internal readonly record struct LanePaint(float Left, float Right, bool Dashed, Colour Colour, int Id);
