namespace EdgeSeg.Trainer.Synthesis;

/// <summary>An 8-bit colour in the image's BGR order, built from RGB for readability.</summary>
internal readonly record struct Colour(byte B, byte G, byte R)
{
    public static Colour Rgb(int r, int g, int b) => new(Clamp(b), Clamp(g), Clamp(r));

    /// <summary>Each channel times <paramref name="f"/>.</summary>
    public Colour Scale(float f) => new(Clamp(B * f), Clamp(G * f), Clamp(R * f));

    /// <summary>Linear blend towards <paramref name="other"/> by <paramref name="t"/> (0 = this, 1 = other).</summary>
    public Colour Lerp(Colour other, float t) =>
        new(Clamp(B + ((other.B - B) * t)), Clamp(G + ((other.G - G) * t)), Clamp(R + ((other.R - R) * t)));

    /// <summary>A slight random variation of this colour: brightness and per-channel jitter.</summary>
    public Colour Vary(SceneRandom random, float brightness, float channel)
    {
        var k = 1f + random.Range(-brightness, brightness);
        return new(
            Clamp(B * k * (1f + random.Range(-channel, channel))),
            Clamp(G * k * (1f + random.Range(-channel, channel))),
            Clamp(R * k * (1f + random.Range(-channel, channel))));
    }

    public static byte Clamp(float v) => v <= 0f ? (byte)0 : v >= 255f ? (byte)255 : (byte)(v + 0.5f);

    public static byte Clamp(int v) => v <= 0 ? (byte)0 : v >= 255 ? (byte)255 : (byte)v;
}
