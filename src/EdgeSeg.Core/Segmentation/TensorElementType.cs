namespace EdgeSeg.Core.Segmentation;

#pragma warning disable CA1720 // The members are ONNX's element type names on purpose.

/// <summary>Element types of model inputs and outputs that the segmenter reads or writes.</summary>
public enum TensorElementType
{
    /// <summary>A type the segmenter does not handle (strings, doubles, ...).</summary>
    Unsupported,

    /// <summary>32-bit IEEE float.</summary>
    Float32,

    /// <summary>16-bit IEEE float.</summary>
    Float16,

    /// <summary>Unsigned byte (labels).</summary>
    UInt8,

    /// <summary>32-bit signed integer (labels).</summary>
    Int32,

    /// <summary>64-bit signed integer (labels; ArgMax's output type).</summary>
    Int64,
}
#pragma warning restore CA1720
