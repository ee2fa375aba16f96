using System.Runtime.InteropServices;

namespace EdgeSeg.OpenCv.Native;

/// <summary>
/// The edgeseg_cv entry points. The imports are private; each internal wrapper loads the library once, makes the
/// call and passes the status through <see cref="Check"/>, so no call site can ignore a failure.
/// </summary>
internal static unsafe partial class EcvNative
{
    private const string Lib = ShimLibrary.Name;

    // ---- library -------------------------------------------------------------------------------------------------

    // ecv_status ecv_version(int32_t* abi_version, int32_t* opencv_version);
    [LibraryImport(Lib, EntryPoint = "ecv_version")]
    internal static partial OpenCvStatus RawVersion(out int abiVersion, out int openCvVersion);

    // const char* ecv_last_error(void);
    [LibraryImport(Lib)]
    private static partial nint ecv_last_error();

    // ecv_status ecv_set_log_level(int32_t level);
    [LibraryImport(Lib, EntryPoint = "ecv_set_log_level")]
    internal static partial OpenCvStatus RawSetLogLevel(int level);

    // ---- images --------------------------------------------------------------------------------------------------

    // ecv_status ecv_imread(const char* path, int32_t mode, ecv_mat** out);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    private static partial OpenCvStatus ecv_imread(string path, int mode, out MatHandle mat);

    // ecv_status ecv_imdecode(const uint8_t* data, int64_t length, int32_t mode, ecv_mat** out);
    [LibraryImport(Lib)]
    private static partial OpenCvStatus ecv_imdecode(byte* data, long length, int mode, out MatHandle mat);

    // ecv_status ecv_mat_info(const ecv_mat* mat, int32_t* width, int32_t* height, int32_t* channels);
    [LibraryImport(Lib)]
    private static partial OpenCvStatus ecv_mat_info(MatHandle mat, out int width, out int height, out int channels);

    // ecv_status ecv_mat_copy_to(const ecv_mat* mat, uint8_t* dst, int64_t capacity);
    [LibraryImport(Lib)]
    private static partial OpenCvStatus ecv_mat_copy_to(MatHandle mat, byte* dst, long capacity);

    // ecv_status ecv_mat_free(ecv_mat* mat);
    [LibraryImport(Lib)]
    private static partial OpenCvStatus ecv_mat_free(nint mat);

    // ecv_status ecv_imwrite(const char* path, const uint8_t* data, int32_t width, int32_t height, int32_t channels, int32_t jpeg_quality);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    private static partial OpenCvStatus ecv_imwrite(string path, byte* data, int width, int height, int channels, int jpegQuality);

    // ecv_status ecv_imencode(const uint8_t* data, int32_t width, int32_t height, int32_t channels, int32_t format, int32_t quality, uint8_t* dst, int64_t capacity, int64_t* needed);
    [LibraryImport(Lib)]
    private static partial OpenCvStatus ecv_imencode(byte* data, int width, int height, int channels, int format, int quality, byte* dst, long capacity, out long needed);

    // ecv_status ecv_resize(const uint8_t* src, int32_t src_width, int32_t src_height, int32_t channels, uint8_t* dst, int32_t dst_width, int32_t dst_height, int32_t interpolation);
    [LibraryImport(Lib)]
    private static partial OpenCvStatus ecv_resize(byte* src, int srcWidth, int srcHeight, int channels, byte* dst, int dstWidth, int dstHeight, int interpolation);

    // ecv_status ecv_blend(const uint8_t* frame, int32_t width, int32_t height, const uint8_t* classes, const uint8_t* palette_bgr, int32_t palette_count, float alpha, uint8_t* dst);
    [LibraryImport(Lib)]
    private static partial OpenCvStatus ecv_blend(byte* frame, int width, int height, byte* classes, byte* paletteBgr, int paletteCount, float alpha, byte* dst);

    // ecv_status ecv_connected_components(const uint8_t* data, int32_t width, int32_t height, uint8_t value, int32_t connectivity, int32_t* labels, int32_t* stats, double* centroids, int32_t capacity, int32_t* count);
    [LibraryImport(Lib)]
    private static partial OpenCvStatus ecv_connected_components(byte* data, int width, int height, byte value, int connectivity, int* labels, int* stats, double* centroids, int capacity, out int count);

    // ---- capture -------------------------------------------------------------------------------------------------

    // ecv_status ecv_capture_open(const char* uri, int32_t backend, const int32_t* params, int32_t param_count, const char* ffmpeg_options, const double* set_props, int32_t set_prop_count, ecv_capture** out);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    private static partial OpenCvStatus ecv_capture_open(string uri, int backend, int* parameters, int parameterCount, string? ffmpegOptions, double* setProps, int setPropCount, out CaptureHandle capture);

    // ecv_status ecv_capture_read(ecv_capture* capture, uint8_t* dst, int32_t width, int32_t height, int32_t channels, int32_t* frame_width, int32_t* frame_height, int32_t* frame_channels, double* pos_msec);
    [LibraryImport(Lib)]
    private static partial OpenCvStatus ecv_capture_read(CaptureHandle capture, byte* dst, int width, int height, int channels, out int frameWidth, out int frameHeight, out int frameChannels, out double posMsec);

    // ecv_status ecv_capture_get(ecv_capture* capture, int32_t property, double* value);
    [LibraryImport(Lib)]
    private static partial OpenCvStatus ecv_capture_get(CaptureHandle capture, int property, out double value);

    // ecv_status ecv_capture_set(ecv_capture* capture, int32_t property, double value, int32_t* accepted);
    [LibraryImport(Lib)]
    private static partial OpenCvStatus ecv_capture_set(CaptureHandle capture, int property, double value, out int accepted);

    // ecv_status ecv_capture_backend(ecv_capture* capture, char* buffer, int32_t capacity);
    [LibraryImport(Lib)]
    private static partial OpenCvStatus ecv_capture_backend(CaptureHandle capture, byte* buffer, int capacity);

    // ecv_status ecv_capture_free(ecv_capture* capture);
    [LibraryImport(Lib)]
    private static partial OpenCvStatus ecv_capture_free(nint capture);

    // ---- writer --------------------------------------------------------------------------------------------------

    // ecv_status ecv_writer_open(const char* path, const char* fourcc, double fps, int32_t width, int32_t height, int32_t is_color, ecv_writer** out);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    private static partial OpenCvStatus ecv_writer_open(string path, string fourcc, double fps, int width, int height, int isColor, out WriterHandle writer);

    // ecv_status ecv_writer_write(ecv_writer* writer, const uint8_t* data, int32_t width, int32_t height, int32_t channels);
    [LibraryImport(Lib)]
    private static partial OpenCvStatus ecv_writer_write(WriterHandle writer, byte* data, int width, int height, int channels);

    // ecv_status ecv_writer_free(ecv_writer* writer);
    [LibraryImport(Lib)]
    private static partial OpenCvStatus ecv_writer_free(nint writer);

    // ---- the status gate -----------------------------------------------------------------------------------------

    /// <summary>The shim's thread-local message for the last failing call on this thread.</summary>
    internal static string LastError() => Marshal.PtrToStringUTF8(ecv_last_error()) ?? string.Empty;

    /// <summary>Throws <see cref="OpenCvException"/> for any status but <see cref="OpenCvStatus.Ok"/>.</summary>
    internal static void Check(OpenCvStatus status, string function)
    {
        if (status != OpenCvStatus.Ok)
        {
            // Read on the same thread, right after the call: the message is thread-local in the shim.
            throw new OpenCvException(status, function, LastError());
        }
    }

    // ---- checked wrappers ----------------------------------------------------------------------------------------

    internal static MatHandle ImRead(string path, int mode)
    {
        ShimLibrary.EnsureLoaded();
        var status = ecv_imread(path, mode, out var mat);
        CheckOrDispose(status, "ecv_imread", mat);
        return mat;
    }

    internal static MatHandle ImDecode(ReadOnlySpan<byte> encoded, int mode)
    {
        ShimLibrary.EnsureLoaded();
        OpenCvStatus status;
        MatHandle mat;
        fixed (byte* p = encoded)
        {
            status = ecv_imdecode(p, encoded.Length, mode, out mat);
        }

        CheckOrDispose(status, "ecv_imdecode", mat);
        return mat;
    }

    internal static void MatInfo(MatHandle mat, out int width, out int height, out int channels)
    {
        ShimLibrary.EnsureLoaded();
        Check(ecv_mat_info(mat, out width, out height, out channels), "ecv_mat_info");
    }

    internal static void MatCopyTo(MatHandle mat, Span<byte> destination)
    {
        ShimLibrary.EnsureLoaded();
        fixed (byte* p = destination)
        {
            Check(ecv_mat_copy_to(mat, p, destination.Length), "ecv_mat_copy_to");
        }
    }

    internal static bool MatFree(nint mat) => ecv_mat_free(mat) == OpenCvStatus.Ok;

    internal static void ImWrite(string path, ReadOnlySpan<byte> pixels, int width, int height, int channels, int jpegQuality)
    {
        ShimLibrary.EnsureLoaded();
        fixed (byte* p = pixels)
        {
            Check(ecv_imwrite(path, p, width, height, channels, jpegQuality), "ecv_imwrite");
        }
    }

    /// <summary>Encodes into <paramref name="destination"/>; returns the encoded length, or minus the needed length when it does not fit.</summary>
    internal static long ImEncode(ReadOnlySpan<byte> pixels, int width, int height, int channels, int format, int quality, Span<byte> destination)
    {
        ShimLibrary.EnsureLoaded();
        OpenCvStatus status;
        long needed;
        fixed (byte* src = pixels)
        fixed (byte* dst = destination)
        {
            status = ecv_imencode(src, width, height, channels, format, quality, dst, destination.Length, out needed);
        }

        if (status == OpenCvStatus.Size && needed > 0)
        {
            return -needed;
        }

        Check(status, "ecv_imencode");
        return needed;
    }

    internal static void Resize(ReadOnlySpan<byte> source, int srcWidth, int srcHeight, int channels, Span<byte> destination, int dstWidth, int dstHeight, int interpolation)
    {
        ShimLibrary.EnsureLoaded();
        fixed (byte* s = source)
        fixed (byte* d = destination)
        {
            Check(ecv_resize(s, srcWidth, srcHeight, channels, d, dstWidth, dstHeight, interpolation), "ecv_resize");
        }
    }

    internal static void Blend(ReadOnlySpan<byte> frame, int width, int height, ReadOnlySpan<byte> classes, ReadOnlySpan<byte> paletteBgr, int paletteCount, float alpha, Span<byte> destination)
    {
        ShimLibrary.EnsureLoaded();
        fixed (byte* f = frame)
        fixed (byte* c = classes)
        fixed (byte* p = paletteBgr)
        fixed (byte* d = destination)
        {
            Check(ecv_blend(f, width, height, c, p, paletteCount, alpha, d), "ecv_blend");
        }
    }

    /// <summary>Labels components; returns the count, or minus the count when <paramref name="stats"/> is too small.</summary>
    internal static int ConnectedComponents(ReadOnlySpan<byte> data, int width, int height, byte value, int connectivity, Span<int> labels, Span<int> stats, Span<double> centroids, int capacity)
    {
        ShimLibrary.EnsureLoaded();
        OpenCvStatus status;
        int count;
        fixed (byte* d = data)
        fixed (int* l = labels)
        fixed (int* s = stats)
        fixed (double* c = centroids)
        {
            status = ecv_connected_components(d, width, height, value, connectivity, l, s, c, capacity, out count);
        }

        if (status == OpenCvStatus.Size && count > capacity)
        {
            return -count;
        }

        Check(status, "ecv_connected_components");
        return count;
    }

    internal static CaptureHandle CaptureOpen(string uri, int backend, ReadOnlySpan<int> parameters, string? ffmpegOptions, ReadOnlySpan<double> setProps)
    {
        ShimLibrary.EnsureLoaded();
        OpenCvStatus status;
        CaptureHandle capture;
        fixed (int* p = parameters)
        fixed (double* s = setProps)
        {
            status = ecv_capture_open(uri, backend, p, parameters.Length, ffmpegOptions, s, setProps.Length, out capture);
        }

        CheckOrDispose(status, "ecv_capture_open", capture);
        return capture;
    }

    /// <summary>Reads a frame into <paramref name="destination"/>; <see cref="OpenCvStatus.End"/> is returned, not thrown.</summary>
    internal static OpenCvStatus CaptureRead(CaptureHandle capture, Span<byte> destination, int width, int height, int channels, out double posMsec)
    {
        ShimLibrary.EnsureLoaded();
        OpenCvStatus status;
        fixed (byte* d = destination)
        {
            status = ecv_capture_read(capture, d, width, height, channels, out _, out _, out _, out posMsec);
        }

        if (status != OpenCvStatus.End)
        {
            Check(status, "ecv_capture_read");
        }

        return status;
    }

    internal static double CaptureGet(CaptureHandle capture, int property)
    {
        ShimLibrary.EnsureLoaded();
        Check(ecv_capture_get(capture, property, out var value), "ecv_capture_get");
        return value;
    }

    internal static bool CaptureSet(CaptureHandle capture, int property, double value)
    {
        ShimLibrary.EnsureLoaded();
        Check(ecv_capture_set(capture, property, value, out var accepted), "ecv_capture_set");
        return accepted != 0;
    }

    internal static string CaptureBackend(CaptureHandle capture)
    {
        ShimLibrary.EnsureLoaded();
        Span<byte> buffer = stackalloc byte[64];
        fixed (byte* b = buffer)
        {
            Check(ecv_capture_backend(capture, b, buffer.Length), "ecv_capture_backend");
        }

        var end = buffer.IndexOf((byte)0);
        return System.Text.Encoding.UTF8.GetString(buffer[..(end < 0 ? buffer.Length : end)]);
    }

    internal static bool CaptureFree(nint capture) => ecv_capture_free(capture) == OpenCvStatus.Ok;

    internal static WriterHandle WriterOpen(string path, string fourCc, double fps, int width, int height, bool isColor)
    {
        ShimLibrary.EnsureLoaded();
        var status = ecv_writer_open(path, fourCc, fps, width, height, isColor ? 1 : 0, out var writer);
        CheckOrDispose(status, "ecv_writer_open", writer);
        return writer;
    }

    internal static void WriterWrite(WriterHandle writer, ReadOnlySpan<byte> pixels, int width, int height, int channels)
    {
        ShimLibrary.EnsureLoaded();
        fixed (byte* p = pixels)
        {
            Check(ecv_writer_write(writer, p, width, height, channels), "ecv_writer_write");
        }
    }

    internal static bool WriterFree(nint writer) => ecv_writer_free(writer) == OpenCvStatus.Ok;

    private static void CheckOrDispose(OpenCvStatus status, string function, SafeHandle handle)
    {
        if (status != OpenCvStatus.Ok)
        {
            var message = LastError();
            handle.Dispose();
            throw new OpenCvException(status, function, message);
        }
    }
}
