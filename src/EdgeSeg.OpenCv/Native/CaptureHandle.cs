using Microsoft.Win32.SafeHandles;

namespace EdgeSeg.OpenCv.Native;

/// <summary>Owns an <c>ecv_capture*</c>; released with <c>ecv_capture_free</c>.</summary>
internal sealed class CaptureHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public CaptureHandle()
        : base(ownsHandle: true)
    {
    }

    protected override bool ReleaseHandle() => EcvNative.CaptureFree(handle);
}
