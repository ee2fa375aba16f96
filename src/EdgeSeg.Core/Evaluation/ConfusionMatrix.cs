using System.Diagnostics;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using EdgeSeg.Core.Masks;

namespace EdgeSeg.Core.Evaluation;

/// <summary>
/// A confusion matrix accumulated over many mask pairs: <c>this[truth, predicted]</c> counts the pixels whose
/// ground truth is <c>truth</c> and whose prediction is <c>predicted</c>. Pixels whose ground truth is the ignore
/// index are not counted. Not thread-safe: accumulate per thread and <see cref="Add"/> the results.
/// </summary>
public sealed partial class ConfusionMatrix
{
    /// <summary>The largest class count the vectorised accumulation handles; larger counts use the scalar path.</summary>
    internal const int MaxVectorClasses = 8;

    private readonly long[] _counts;

    // Per-call staging so that a call that throws on a bad value leaves the matrix exactly as it was.
    private readonly long[] _staging;

    /// <summary>Creates an empty matrix.</summary>
    /// <param name="classCount">Number of classes (1..255); truth and prediction values must be below it.</param>
    /// <param name="ignoreIndex">A ground-truth value that is not counted (255 by default), or null for none.</param>
    public ConfusionMatrix(int classCount, int? ignoreIndex = 255)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(classCount);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(classCount, 255);
        if (ignoreIndex is { } ignore && (ignore < classCount || ignore > 255))
        {
            throw new ArgumentOutOfRangeException(
                nameof(ignoreIndex), ignoreIndex, $"The ignore index must be a byte value that is not a class (>= {classCount}).");
        }

        ClassCount = classCount;
        IgnoreIndex = ignoreIndex;
        _counts = new long[classCount * classCount];
        _staging = new long[classCount * classCount];
    }

    /// <summary>Number of classes.</summary>
    public int ClassCount { get; }

    /// <summary>The ground-truth value that is not counted, if any.</summary>
    public int? IgnoreIndex { get; }

    /// <summary>Pixels with ground truth <paramref name="truth"/> predicted as <paramref name="predicted"/>.</summary>
    public long this[int truth, int predicted]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)truth, (uint)ClassCount, nameof(truth));
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)predicted, (uint)ClassCount, nameof(predicted));
            return _counts[(truth * ClassCount) + predicted];
        }
    }

    /// <summary>All counted pixels.</summary>
    public long Total
    {
        get
        {
            long total = 0;
            foreach (var c in _counts)
            {
                total += c;
            }

            return total;
        }
    }

    /// <summary>Counts a mask pair. Both masks must have the same size.</summary>
    public void Accumulate(Mask truth, Mask predicted)
    {
        ArgumentNullException.ThrowIfNull(truth);
        ArgumentNullException.ThrowIfNull(predicted);
        if (truth.Width != predicted.Width || truth.Height != predicted.Height)
        {
            throw new ArgumentException(
                $"Prediction is {predicted.Width}x{predicted.Height} but ground truth is {truth.Width}x{truth.Height}.",
                nameof(predicted));
        }

        Accumulate(truth.Pixels, predicted.Pixels, truth.Width);
    }

    /// <summary>
    /// Counts a pair of row-major class-index buffers of equal length. Allocation-free. When any value is out of
    /// range the matrix is left unchanged and <see cref="InvalidMaskException"/> names the first bad value and its
    /// position (for rows of <paramref name="width"/> pixels).
    /// </summary>
    public void Accumulate(ReadOnlySpan<byte> truth, ReadOnlySpan<byte> predicted, int width)
    {
        if (truth.Length != predicted.Length)
        {
            throw new ArgumentException(
                $"Prediction has {predicted.Length} pixels but ground truth has {truth.Length}.", nameof(predicted));
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        var staging = _staging.AsSpan();
        staging.Clear();
        var ok = Vector.IsHardwareAccelerated && ClassCount <= MaxVectorClasses
            ? AccumulateVector(truth, predicted, staging)
            : AccumulateScalar(truth, predicted, staging, 0);
        if (!ok)
        {
            ThrowFirstInvalid(truth, predicted, width);
        }

        for (var i = 0; i < _counts.Length; i++)
        {
            _counts[i] += staging[i];
        }
    }

    /// <summary>Adds another matrix of the same class count and ignore index into this one.</summary>
    public void Add(ConfusionMatrix other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.ClassCount != ClassCount)
        {
            throw new ArgumentException($"Cannot add a {other.ClassCount}-class matrix to a {ClassCount}-class one.", nameof(other));
        }

        for (var i = 0; i < _counts.Length; i++)
        {
            _counts[i] += other._counts[i];
        }
    }

    /// <summary>Sets every count to zero.</summary>
    public void Reset() => Array.Clear(_counts);

    // Scalar reference path, also the tail of the vector path. Returns false on the first out-of-range value.
    private bool AccumulateScalar(ReadOnlySpan<byte> truth, ReadOnlySpan<byte> predicted, Span<long> counts, int start)
    {
        var k = ClassCount;
        var ignore = IgnoreIndex ?? -1;
        for (var i = start; i < truth.Length; i++)
        {
            int t = truth[i];
            int p = predicted[i];
            if (p >= k)
            {
                return false;
            }

            if (t == ignore)
            {
                continue;
            }

            if (t >= k)
            {
                return false;
            }

            counts[(t * k) + p]++;
        }

        return true;
    }

    // Vector path for up to 8 classes, in two tiers.
    // Tier 1: real mask pairs are mostly large regions that the prediction gets right, so most vectors hold one
    // class in both buffers. Such a vector costs two compares and one scalar add, which keeps the whole pass near
    // memory speed.
    // Tier 2 (mixed vectors): each pixel pair becomes one byte code (truth << 3 | predicted); per code a byte
    // accumulator counts matches by subtracting the all-ones compare mask. Byte accumulators are flushed every 255
    // mixed vectors, before they can wrap. Validation rides along as running maxima, so the buffers are read once.
    private bool AccumulateVector(ReadOnlySpan<byte> truth, ReadOnlySpan<byte> predicted, Span<long> counts)
    {
        var k = ClassCount;
        var pairs = k * k;
        var width = Vector<byte>.Count;
        Span<Vector<byte>> accumulators = stackalloc Vector<byte>[MaxVectorClasses * MaxVectorClasses];
        Span<Vector<byte>> codes = stackalloc Vector<byte>[MaxVectorClasses * MaxVectorClasses];
        Span<long> uniform = stackalloc long[256];
        uniform.Clear();
        accumulators[..pairs].Clear();
        for (var t = 0; t < k; t++)
        {
            for (var p = 0; p < k; p++)
            {
                codes[(t * k) + p] = new Vector<byte>((byte)((t << 3) | p));
            }
        }

        var hasIgnore = IgnoreIndex.HasValue;
        var ignore = new Vector<byte>((byte)(IgnoreIndex ?? 0));
        var never = Vector<byte>.AllBitsSet; // code 255 matches no pair: t and p are both below 8.
        var maxTruth = Vector<byte>.Zero;
        var maxPredicted = Vector<byte>.Zero;
        ref var truthRef = ref MemoryMarshal.GetReference(truth);
        ref var predictedRef = ref MemoryMarshal.GetReference(predicted);
        var pending = 0;
        var i = 0;
        for (var lastVector = truth.Length - width; i <= lastVector; i += width)
        {
            var t = Vector.LoadUnsafe(ref truthRef, (nuint)i);
            var p = Vector.LoadUnsafe(ref predictedRef, (nuint)i);
            var firstValue = Unsafe.Add(ref truthRef, i);
            var first = new Vector<byte>(firstValue);
            if (Vector.EqualsAll(t, first) && Vector.EqualsAll(p, first))
            {
                // Values >= k land in slots that are checked after the loop (a prediction can never be >= k).
                uniform[firstValue] += width;
                continue;
            }

            var code = Vector.ShiftLeft(t, 3) | p;
            if (hasIgnore)
            {
                var ignored = Vector.Equals(t, ignore);
                t = Vector.AndNot(t, ignored);
                code = Vector.ConditionalSelect(ignored, never, code);
            }

            maxTruth = Vector.Max(maxTruth, t);
            maxPredicted = Vector.Max(maxPredicted, p);
            for (var c = 0; c < pairs; c++)
            {
                accumulators[c] -= Vector.Equals(code, codes[c]);
            }

            if (++pending == byte.MaxValue)
            {
                Flush(accumulators[..pairs], counts);
                pending = 0;
            }
        }

        Flush(accumulators[..pairs], counts);
        var limit = (byte)(k - 1);
        if (Vector.GreaterThanAny(maxTruth, new Vector<byte>(limit)) ||
            Vector.GreaterThanAny(maxPredicted, new Vector<byte>(limit)) ||
            uniform[k..].ContainsAnyExcept(0L))
        {
            return false;
        }

        for (var c = 0; c < k; c++)
        {
            counts[(c * k) + c] += uniform[c];
        }

        return AccumulateScalar(truth, predicted, counts, i);
    }

    private static void Flush(Span<Vector<byte>> accumulators, Span<long> counts)
    {
        for (var c = 0; c < accumulators.Length; c++)
        {
            counts[c] += SumBytes(accumulators[c]);
            accumulators[c] = Vector<byte>.Zero;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static long SumBytes(Vector<byte> bytes)
    {
        Vector.Widen(bytes, out var low, out var high);
        Debug.Assert(Vector<ushort>.Count * 2 * 255 <= ushort.MaxValue, "Widened halves cannot overflow ushort lanes.");
        return Vector.Sum(low + high);
    }

    private void ThrowFirstInvalid(ReadOnlySpan<byte> truth, ReadOnlySpan<byte> predicted, int width)
    {
        var ignore = IgnoreIndex ?? -1;
        for (var i = 0; i < truth.Length; i++)
        {
            if (predicted[i] >= ClassCount)
            {
                throw new InvalidMaskException(predicted[i], i % width, i / width, ClassCount, "Predicted mask");
            }

            if (truth[i] != ignore && truth[i] >= ClassCount)
            {
                throw new InvalidMaskException(truth[i], i % width, i / width, ClassCount, "Ground-truth mask");
            }
        }

        throw new UnreachableException("A bad value was detected but not found.");
    }
}
