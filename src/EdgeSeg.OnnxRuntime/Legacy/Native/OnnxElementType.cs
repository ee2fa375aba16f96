namespace EdgeSeg.OnnxRuntime.Legacy.Native;

/// <summary>ONNX Runtime's <c>ONNXTensorElementDataType</c> values this binding handles.</summary>
internal enum OnnxElementType
{
    Undefined = 0,
    Float = 1,
    UInt8 = 2,
    Int8 = 3,
    UInt16 = 4,
    Int16 = 5,
    Int32 = 6,
    Int64 = 7,
    String = 8,
    Bool = 9,
    Float16 = 10,
    Double = 11,
}
