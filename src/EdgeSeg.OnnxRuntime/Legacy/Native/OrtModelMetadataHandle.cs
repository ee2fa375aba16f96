using Microsoft.Win32.SafeHandles;

namespace EdgeSeg.OnnxRuntime.Legacy.Native;

/// <summary>Owns an ONNX Runtime <c>OrtModelMetadata</c>; released with <c>ReleaseModelMetadata</c>.</summary>
internal sealed class OrtModelMetadataHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public OrtModelMetadataHandle()
        : base(ownsHandle: true)
    {
    }

    public OrtModelMetadataHandle(nint handle)
        : base(ownsHandle: true)
    {
        SetHandle(handle);
    }

    protected override bool ReleaseHandle()
    {
        OrtApi.Instance.ReleaseModelMetadata(handle);
        return true;
    }
}
