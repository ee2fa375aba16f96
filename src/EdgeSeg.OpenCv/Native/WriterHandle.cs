using Microsoft.Win32.SafeHandles;

namespace EdgeSeg.OpenCv.Native;

/// <summary>Owns an <c>ecv_writer*</c>; released with <c>ecv_writer_free</c>.</summary>
internal sealed class WriterHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public WriterHandle()
        : base(ownsHandle: true)
    {
    }

    protected override bool ReleaseHandle() => EcvNative.WriterFree(handle);
}
