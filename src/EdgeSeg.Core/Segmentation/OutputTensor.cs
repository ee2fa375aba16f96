using System.Runtime.InteropServices;

namespace EdgeSeg.Core.Segmentation;

/// <summary>A read-only view of one output tensor of the last run; valid until the binding runs again or is disposed.</summary>
public readonly ref struct OutputTensor
{
    private readonly ReadOnlySpan<byte> _bytes;

    /// <summary>Wraps an output's bytes.</summary>
    public OutputTensor(TensorElementType elementType, ReadOnlySpan<long> shape, ReadOnlySpan<byte> bytes)
    {
        ElementType = elementType;
        Shape = shape;
        _bytes = bytes;
    }

    /// <summary>The element type.</summary>
    public TensorElementType ElementType { get; }

    /// <summary>The shape.</summary>
    public ReadOnlySpan<long> Shape { get; }

    /// <summary>The elements as <typeparamref name="T"/> (which must match <see cref="ElementType"/>).</summary>
    public ReadOnlySpan<T> As<T>()
        where T : unmanaged => MemoryMarshal.Cast<byte, T>(_bytes);
}
