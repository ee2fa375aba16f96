namespace EdgeSeg.Trainer.Synthesis;

/// <summary>
/// The roadside world, generated in 40 m chunks along the road from (seed, chunk index) alone, so a moving camera
/// meets the same buildings, trees, lamps and pedestrians every time it passes a place.
/// </summary>
internal static class Scenery
{
    /// <summary>Length of a chunk along the road.</summary>
    public const float ChunkLength = 40f;

    private static readonly Colour[] Walls =
    [
        Colour.Rgb(150, 82, 62), Colour.Rgb(178, 172, 162), Colour.Rgb(216, 206, 178), Colour.Rgb(120, 120, 126),
        Colour.Rgb(196, 150, 110), Colour.Rgb(170, 110, 90), Colour.Rgb(226, 224, 216), Colour.Rgb(96, 88, 84),
        Colour.Rgb(150, 160, 170), Colour.Rgb(190, 180, 140),
    ];

    private static readonly Colour[] Signs =
    [
        Colour.Rgb(200, 30, 30), Colour.Rgb(30, 70, 170), Colour.Rgb(240, 190, 30),
    ];

    /// <summary>
    /// Adds every object of the chunks that can be seen from <paramref name="s0"/> (up to <paramref name="range"/>
    /// metres ahead) at time <paramref name="time"/> seconds (pedestrians walk).
    /// </summary>
    public static void Populate(List<SceneObject> objects, RoadLayout layout, ulong seed, float s0, float range, float time)
    {
        ArgumentNullException.ThrowIfNull(objects);
        ArgumentNullException.ThrowIfNull(layout);
        var first = (long)MathF.Floor((s0 - ChunkLength) / ChunkLength);
        var last = (long)MathF.Floor((s0 + range) / ChunkLength);
        for (var chunk = first; chunk <= last; chunk++)
        {
            AddChunk(objects, layout, seed, chunk, s0, range, time);
        }
    }

    private static void AddChunk(List<SceneObject> objects, RoadLayout layout, ulong seed, long chunk, float s0, float range, float time)
    {
        var random = SceneRandom.For(seed, (ulong)chunk, 3);
        var start = chunk * ChunkLength;
        var half = layout.RoadWidth / 2f;
        var kerb = half + layout.KerbWidth;
        var pave = kerb + layout.PavementWidth;
        bool Visible(float d) => d > -2f && d < range;

        for (var side = -1; side <= 1; side += 2)
        {
            switch (layout.Style)
            {
                case SceneryStyle.Urban:
                {
                    var at = start;
                    while (at < start + ChunkLength - 2f)
                    {
                        var length = MathF.Min(random.Range(8f, 26f), start + ChunkLength - at);
                        var gap = random.Chance(0.25f) ? random.Range(2f, 6f) : 0f;
                        var x = side * (pave + random.Range(0f, 1.2f));
                        var facade = new Facade(x, at - s0, at + length - gap - s0, random.Range(7f, 26f),
                            random.Pick(Walls).Vary(random, 0.1f, 0.05f), true, random.Chance(0.6f), random);
                        if (facade.Far > -2f && facade.Near < range)
                        {
                            objects.Add(facade);
                        }

                        at += length;
                    }

                    AddLamp(objects, random, side, kerb, start, s0, Visible);
                    if (random.Chance(0.3f))
                    {
                        var d = start + random.Range(0f, ChunkLength) - s0;
                        if (Visible(d))
                        {
                            objects.Add(new Tree(side * (kerb + 0.8f), d, random.Range(2f, 3f), random.Range(1.2f, 2.2f), false, random));
                        }
                    }

                    AddWalkers(objects, layout, seed, chunk, side, kerb, random.Int(0, 4), s0, time, Visible);
                    break;
                }

                case SceneryStyle.Suburban:
                {
                    var at = start + random.Range(0f, 8f);
                    while (at < start + ChunkLength - 6f)
                    {
                        var length = random.Range(8f, 14f);
                        var x = side * (pave + random.Range(3f, 9f));
                        var house = new Facade(x, at - s0, at + length - s0, random.Range(5f, 9f), random.Pick(Walls).Vary(random, 0.1f, 0.05f), true, false, random);
                        if (house.Far > -2f && house.Near < range)
                        {
                            objects.Add(house);
                        }

                        if (random.Chance(0.5f))
                        {
                            var hedge = new Facade(side * (pave + 0.6f), at - s0, at + length - s0, random.Range(0.9f, 1.6f), Colour.Rgb(50, 84, 40).Vary(random, 0.2f, 0.08f), false, false, random);
                            if (hedge.Far > -2f && hedge.Near < range)
                            {
                                objects.Add(hedge);
                            }
                        }

                        at += length + random.Range(4f, 12f);
                    }

                    var trees = random.Int(1, 4);
                    for (var i = 0; i < trees; i++)
                    {
                        var d = start + random.Range(0f, ChunkLength) - s0;
                        if (Visible(d))
                        {
                            objects.Add(new Tree(side * (pave + random.Range(0.8f, 2.5f)), d, random.Range(1.8f, 3.2f), random.Range(1.4f, 3f), random.Chance(0.25f), random));
                        }
                    }

                    if (random.Chance(0.5f))
                    {
                        AddLamp(objects, random, side, kerb, start, s0, Visible);
                    }

                    AddWalkers(objects, layout, seed, chunk, side, kerb, random.Int(0, 3), s0, time, Visible);
                    break;
                }

                default:
                {
                    if (random.Chance(0.45f))
                    {
                        var hedge = new Facade(side * (kerb + random.Range(1.5f, 4f)), start - s0, start + ChunkLength - s0, random.Range(1.2f, 2.4f), Colour.Rgb(46, 78, 36).Vary(random, 0.2f, 0.08f), false, false, random);
                        if (hedge.Far > -2f && hedge.Near < range)
                        {
                            objects.Add(hedge);
                        }
                    }

                    var trees = random.Int(0, 5);
                    for (var i = 0; i < trees; i++)
                    {
                        var d = start + random.Range(0f, ChunkLength) - s0;
                        if (Visible(d))
                        {
                            objects.Add(new Tree(side * (kerb + random.Range(2f, 14f)), d, random.Range(1.5f, 4f), random.Range(1.5f, 3.5f), random.Chance(0.4f), random));
                        }
                    }

                    if (random.Chance(0.15f))
                    {
                        var d = start + random.Range(0f, ChunkLength) - s0;
                        if (Visible(d))
                        {
                            objects.Add(new Pole(side * (kerb + 0.6f), d, false, random.Pick(Signs)));
                        }
                    }

                    AddWalkers(objects, layout, seed, chunk, side, kerb, random.Chance(0.3f) ? 1 : 0, s0, time, Visible);
                    break;
                }
            }
        }
    }

    private static void AddLamp(List<SceneObject> objects, SceneRandom random, int side, float kerb, float start, float s0, Func<float, bool> visible)
    {
        var d = start + (side < 0 ? 5f : 25f) + random.Range(-2f, 2f) - s0;
        if (visible(d))
        {
            objects.Add(new Pole(side * (kerb + 0.4f), d, true, default));
        }
    }

    // People on the pavement (or the verge): some stand, the rest walk to and fro along the road.
    private static void AddWalkers(List<SceneObject> objects, RoadLayout layout, ulong seed, long chunk,
        int side, float kerb, int count, float s0, float time, Func<float, bool> visible)
    {
        for (var i = 0; i < count; i++)
        {
            var walker = SceneRandom.For(seed, (ulong)chunk, (ulong)(((side + 1) * 16) + i + 1000));
            var baseS = (chunk * ChunkLength) + walker.Range(0f, ChunkLength);
            var width = MathF.Max(0.8f, layout.PavementWidth - 0.6f);
            var x = side * (kerb + 0.4f + walker.Range(0f, width));
            var walking = walker.Chance(0.65f);
            var speed = walker.Range(1.1f, 1.6f);
            var period = walker.Range(20f, 40f);
            var s = baseS;
            var phase = walker.Range(0f, MathF.Tau);
            if (walking)
            {
                // A triangle wave: out for half the period, back for the other half.
                var t = ((time / period) + walker.Next()) % 1f;
                var along = (t < 0.5f ? t : 1f - t) * period * speed;
                s += along - (period * speed / 4f);
                phase += time * speed / 0.7f * MathF.PI;
            }

            var d = s - s0;
            if (visible(d))
            {
                objects.Add(new Pedestrian(x, d, walking, 0, phase, walker));
            }
        }
    }
}
