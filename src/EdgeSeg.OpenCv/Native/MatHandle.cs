using Microsoft.Win32.SafeHandles;

namespace EdgeSeg.OpenCv.Native;

/// <summary>Owns an <c>ecv_mat*</c>; released with <c>ecv_mat_free</c>.</summary>
internal sealed class MatHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public MatHandle()
        : base(ownsHandle: true)
    {
    }

    protected override bool ReleaseHandle() => EcvNative.MatFree(handle);
}
