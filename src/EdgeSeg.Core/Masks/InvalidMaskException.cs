namespace EdgeSeg.Core.Masks;

/// <summary>A mask holds a value that is not one of its classes.</summary>
public sealed class InvalidMaskException : ArgumentException
{
    /// <summary>Creates the exception for <paramref name="value"/> found at (<paramref name="x"/>, <paramref name="y"/>).</summary>
    /// <param name="value">The offending value.</param>
    /// <param name="x">Its column.</param>
    /// <param name="y">Its row.</param>
    /// <param name="classCount">How many classes the mask may hold.</param>
    /// <param name="subject">What holds the value, for the message ("Mask", "Ground-truth mask", ...).</param>
    public InvalidMaskException(byte value, int x, int y, int classCount, string subject = "Mask")
        : base($"{subject} value {value} at (x={x}, y={y}) is out of range: classes are 0..{classCount - 1}.")
    {
        Value = value;
        X = x;
        Y = y;
    }

    /// <summary>The offending value.</summary>
    public byte Value { get; }

    /// <summary>Column of the first offending pixel.</summary>
    public int X { get; }

    /// <summary>Row of the first offending pixel.</summary>
    public int Y { get; }
}
