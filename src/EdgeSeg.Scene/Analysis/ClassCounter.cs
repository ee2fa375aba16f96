using System.Diagnostics;
using System.Numerics;
using System.Runtime.InteropServices;
using EdgeSeg.Scene.Metrics;

namespace EdgeSeg.Scene.Analysis;

/// <summary>Counts appliance classes in a run of mask bytes in one vectorised pass.</summary>
internal static class ClassCounter
{
    /// <summary>Per-class counts, accumulated across calls.</summary>
    internal struct Counts
    {
        public int Road;
        public int Vehicle;
        public int Pedestrian;
        public int LaneMarking;
        public int Total;

        public readonly ClassCoverage ToCoverage() =>
            new(Total - Road - Vehicle - Pedestrian - LaneMarking, Road, Vehicle, Pedestrian, LaneMarking);
    }

    /// <summary>Adds the classes of <paramref name="pixels"/> to <paramref name="counts"/>. Values of 5 or more count as background.</summary>
    public static void Accumulate(ReadOnlySpan<byte> pixels, ref Counts counts)
    {
        counts.Total += pixels.Length;
        var i = 0;
        if (Vector.IsHardwareAccelerated && pixels.Length >= Vector<byte>.Count)
        {
            ref var start = ref MemoryMarshal.GetReference(pixels);
            var one = new Vector<byte>(1);
            var two = new Vector<byte>(2);
            var three = new Vector<byte>(3);
            var four = new Vector<byte>(4);
            var lastVector = pixels.Length - Vector<byte>.Count;
            while (i <= lastVector)
            {
                // Byte lanes count matches by subtracting the all-ones compare result; 255 blocks is the most a lane
                // can take before it could wrap, so the lanes are widened and summed at least that often.
                var a1 = Vector<byte>.Zero;
                var a2 = Vector<byte>.Zero;
                var a3 = Vector<byte>.Zero;
                var a4 = Vector<byte>.Zero;
                for (var blocks = 0; blocks < 255 && i <= lastVector; blocks++, i += Vector<byte>.Count)
                {
                    var v = Vector.LoadUnsafe(ref start, (nuint)i);
                    a1 -= Vector.Equals(v, one);
                    a2 -= Vector.Equals(v, two);
                    a3 -= Vector.Equals(v, three);
                    a4 -= Vector.Equals(v, four);
                }

                counts.Road += Sum(a1);
                counts.Vehicle += Sum(a2);
                counts.Pedestrian += Sum(a3);
                counts.LaneMarking += Sum(a4);
            }
        }

        // Scalar tail with the same rule as the vector body.
        for (; i < pixels.Length; i++)
        {
            switch (pixels[i])
            {
                case 1: counts.Road++; break;
                case 2: counts.Vehicle++; break;
                case 3: counts.Pedestrian++; break;
                case 4: counts.LaneMarking++; break;
                default: break;
            }
        }
    }

    private static int Sum(Vector<byte> lanes)
    {
        Vector.Widen(lanes, out var lo, out var hi);
        Vector.Widen(lo + hi, out var a, out var b);
        var total = (int)Vector.Sum(a + b);
        Debug.Assert(total >= 0, "per-lane counts are at most 255");
        return total;
    }
}
