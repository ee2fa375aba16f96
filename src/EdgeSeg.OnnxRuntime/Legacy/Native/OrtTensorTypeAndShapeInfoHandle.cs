using Microsoft.Win32.SafeHandles;

namespace EdgeSeg.OnnxRuntime.Legacy.Native;

/// <summary>Owns an ONNX Runtime <c>OrtTensorTypeAndShapeInfo</c>; released with <c>ReleaseTensorTypeAndShapeInfo</c>.</summary>
internal sealed class OrtTensorTypeAndShapeInfoHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public OrtTensorTypeAndShapeInfoHandle()
        : base(ownsHandle: true)
    {
    }

    public OrtTensorTypeAndShapeInfoHandle(nint handle)
        : base(ownsHandle: true)
    {
        SetHandle(handle);
    }

    protected override bool ReleaseHandle()
    {
        OrtApi.Instance.ReleaseTensorTypeAndShapeInfo(handle);
        return true;
    }
}
